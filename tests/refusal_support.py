"""Helpers for tests of refused requests: a hub with its own settings, and the refusals it recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from hub.api.refusal_log import Refusal
from hub.bootstrap import Hub, bootstrap
from tests.builders import register_agencies
from tests.conftest import TEST_MASTER_KEY

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

HubFactory = Callable[..., Hub]


@pytest.fixture
def hub_with(store_url: str, frozen: object) -> Iterator[HubFactory]:
    """Like the ``app`` fixture, with settings of the test's own (``HUB_MAX_BODY_BYTES=...``)."""
    made: list[Hub] = []

    def make(**settings: str) -> Hub:
        application = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY, **settings})
        register_agencies(application)
        made.append(application)
        return application

    yield make
    for application in made:
        application.close()


def refusals(api: FastAPI) -> list[Refusal]:
    return api.state.refusals.log.since(EPOCH)
