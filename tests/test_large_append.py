"""An append larger than the socket's buffers, sent while another writer holds the events table's lock,
still completes once the lock is released (decision 0056).

psycopg's ``Pipeline.sync()`` stopped sending when its queue of commands was empty, even with part of the
batch still in libpq's buffer, and waited for answers the server could not give before it had the rest:
under SIGKILLs, the Kafka worker appending a poll's batch held the table's lock for minutes, and every
other writer and a restarted ``hub serve`` waited behind it.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent

from hub.bootstrap import Hub, bootstrap
from tests.conftest import POSTGRES_URL, TEST_MASTER_KEY
from tests.kafka_support import wait_for

BATCH_BYTES = 32 << 20  # far beyond what loopback sockets buffer, so most of it waits in libpq
EVENTS = 32
APPEND_TIMEOUT = 120.0  # a bound for a hung append, not a speed requirement


@pytest.fixture
def hub(postgres_url: str) -> Iterator[Hub]:
    application = bootstrap({"HUB_DATABASE_URL": postgres_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    yield application
    application.close()


def schema_of(hub: Hub) -> str:
    return hub.store.recorder.datastore.schema  # type: ignore[attr-defined]


def waiting_for_the_lock(schema: str) -> bool:
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s",
            [f'LOCK TABLE "{schema}".%'],
        )
        return found.fetchone() is not None


def test_an_append_beyond_the_socket_buffers_completes_after_waiting_for_the_table_lock(hub: Hub) -> None:
    schema = schema_of(hub)
    batch = [
        StoredEvent(uuid.uuid4(), 1, "tests.test_large_append:Blob", os.urandom(BATCH_BYTES // EVENTS))
        for _ in range(EVENTS)
    ]
    positions: list[int] = []
    appending = threading.Thread(
        target=lambda: positions.extend(hub.store.recorder.insert_events(batch) or []), daemon=True
    )
    with psycopg.connect(POSTGRES_URL) as holder:
        holder.execute(f'LOCK TABLE "{schema}".hub_events IN EXCLUSIVE MODE')
        appending.start()
        wait_for(lambda: waiting_for_the_lock(schema), APPEND_TIMEOUT, "the append to wait for the table lock")
    appending.join(APPEND_TIMEOUT)
    try:
        assert not appending.is_alive(), "the append hung after the lock was released"
    finally:
        if appending.is_alive():  # end the hung append's session, so the schema can be dropped
            with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE %s", [f'%"{schema}"%']
                )
    assert len(positions) == EVENTS
    stored = hub.store.recorder.select_notifications(positions[0], EVENTS)
    assert [n.state for n in stored] == [e.state for e in batch]
