"""Fixtures of the fault tests: the hub's store on PostgreSQL, on the real clock because the hub's own
processes write to it too, and those processes, killed at the end of a test whatever happened."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from hub.bootstrap import bootstrap
from hub.kafka.settings import KafkaSettings
from tests.builders import register_agencies
from tests.conftest import TEST_MASTER_KEY
from tests.faults.processes import HubProcesses, MakeProcesses
from tests.faults.store import Store
from tests.kafka_support import durable_broker, kafka_broker  # noqa: F401 - fixtures


@pytest.fixture
def store(postgres_url: str) -> Iterator[Store]:
    hub = bootstrap({"HUB_DATABASE_URL": postgres_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    register_agencies(hub)
    yield Store(postgres_url, hub)
    hub.close()


@pytest.fixture
def hub_processes(store: Store, tmp_path: Path) -> Iterator[MakeProcesses]:
    """Makes the hub's processes on the test's store; ends them before the store's schema is dropped."""
    made: list[HubProcesses] = []

    def make(settings: KafkaSettings, commands: dict[str, list[str]], env: Mapping[str, str] | None = None) -> HubProcesses:
        made.append(HubProcesses(store, settings, tmp_path, commands, env or {}))
        return made[-1]

    yield make
    for processes in made:
        processes.kill_all()
        print(processes.logs())  # pytest shows it with a failure
