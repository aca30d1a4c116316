"""Hub processes started at the same moment - a deployment, or a supervisor restarting several after a
crash - all come up. Each creates the store's tables, types and functions when it starts, and PostgreSQL
refuses two sessions doing so on one object at once ("tuple concurrently updated") unless they take
turns (hub/store.py ``setting_up``)."""

from __future__ import annotations

import threading

import pytest

from hub.bootstrap import bootstrap
from tests.conftest import TEST_MASTER_KEY

pytestmark = pytest.mark.faults

TOGETHER = 4
ROUNDS = 5


def test_hub_applications_started_at_the_same_moment_all_come_up(postgres_url: str) -> None:
    env = {"HUB_DATABASE_URL": postgres_url, "HUB_MASTER_KEY": TEST_MASTER_KEY}
    bootstrap(env).close()  # a store that exists already: a restart creates (or replaces) all the same
    failures: list[str] = []

    def start(barrier: threading.Barrier) -> None:
        barrier.wait()
        try:
            bootstrap(env).close()
        except Exception as error:  # noqa: BLE001 - any failure to come up is the finding
            failures.append(f"{type(error).__name__}: {error}")

    for _ in range(ROUNDS):
        barrier = threading.Barrier(TOGETHER)
        threads = [threading.Thread(target=start, args=(barrier,)) for _ in range(TOGETHER)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
