"""The hub's PostgreSQL connections cut mid-stream, as a database failover or an administrator's
``pg_terminate_backend`` cuts them: nothing acknowledged is lost, nothing is applied twice, and every
process carries on by itself - none exits, none is restarted. A failure the database's absence caused is
retried even when another layer reported it as something else; never dead-lettered, never fatal."""

from __future__ import annotations

import random
import threading

import pytest
from eventsourcing.persistence import MapperDeserialisationError, OperationalError

from hub.bootstrap import Hub, bootstrap
from hub.kafka.running import Backoff, poll_loop
from hub.kafka.settings import KafkaSettings
from hub.store import UNAVAILABLE
from tests.builders import register_agencies
from tests.conftest import TEST_MASTER_KEY
from tests.faults.kill_plan import fault_seed, moments
from tests.faults.store import Store
from tests.faults.stream import Stream
from tests.kafka_support import kafka_settings, settings_for, wait_for  # noqa: F401 - fixture
from tests.scenario import submit
from tests.test_kafka_ingest import Senders, ingest_failing_first, senders  # noqa: F401 - fixture

pytestmark = pytest.mark.faults

REFERRALS = 600
CUTS = 5
WAIT = 300.0


def test_database_connections_cut_mid_stream_lose_nothing_and_every_process_carries_on(
    store: Store, kafka_broker, hub_processes
) -> None:
    seed = fault_seed()
    stream = Stream(store, settings_for(kafka_broker), hub_processes, REFERRALS, WAIT)
    processes, ledger = stream.processes, stream.ledger
    cuts = moments(random.Random(seed), ledger.expected, CUTS)
    why = f"HUB_FAULT_SEED={seed}"
    print(f"{why}: {stream}; connections cut at {cuts} referrals")

    stream.start()
    pids = {name: p.pid for name, p in processes.processes.items()}
    for at in cuts:
        wait_for(lambda at=at: ledger.referrals() >= at, WAIT, f"{at} referrals ({why})", every=0.2)
        assert store.cut_connections() > 0  # the hub's processes were connected, and are no longer
    ledger.settle(WAIT, why)
    assert {name: (p.pid, p.running) for name, p in processes.processes.items()} == {
        name: (pid, True) for name, pid in pids.items()
    }, processes.logs()
    assert processes.stop() == {"serve": True, "ingest": True, "project": True}
    ledger.check(why)
    print(f"client answers: {dict(stream.http.answers)}")


def _wrapped_unavailable() -> MapperDeserialisationError:
    """What the per-child mapper raises when the database ends the session that was reading a key."""
    error = MapperDeserialisationError("Failed to deserialise state of stored event")
    error.__cause__ = OperationalError("terminating connection due to administrator command")
    return error


def test_a_message_that_failed_because_the_database_was_away_is_retried_even_behind_another_error(
    app: Hub, kafka_settings: KafkaSettings, senders: Senders
) -> None:
    attempts, worker = ingest_failing_first(app, kafka_settings, senders, [_wrapped_unavailable()], "protocol-1")
    assert attempts == ["protocol-1"] * 2
    assert (worker.applied, worker.dead_lettered) == (1, 0)


def test_a_worker_loop_carries_on_after_a_failure_the_database_being_away_caused() -> None:
    stop, steps, recovered = threading.Event(), [], []

    def step() -> int:
        steps.append(len(steps))
        if len(steps) == 1:
            raise _wrapped_unavailable()
        stop.set()
        return 1

    poll_loop(step, stop, 0.01, Backoff(0.01, 0.01), "project", lambda: recovered.append(len(steps)))
    assert (steps, recovered) == ([0, 1], [1])  # recovered after the failure, then stepped again


def test_an_event_whose_childs_key_the_database_did_not_give_fails_as_the_database_being_away(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not as an undecodable event: the API answers 503 (send again), not 500, and the workers retry."""
    env = {"HUB_DATABASE_URL": postgres_url, "HUB_MASTER_KEY": TEST_MASTER_KEY}
    writer = bootstrap(env)
    register_agencies(writer)
    stored = writer.store.recorder.select_events(submit(writer).id)[0]
    monkeypatch.setenv("PGAPPNAME", f"{Store(postgres_url, writer).schema}:reader")
    reader = bootstrap(env)  # another process: the child's key is not in its cache
    try:
        reader.store.recorder.datastore.pool.wait()  # every pooled connection open: the cut ends them all
        assert Store(postgres_url, reader).cut_connections()
        with pytest.raises(UNAVAILABLE):
            reader.store.mapper.to_domain_event(stored)
    finally:
        reader.close()
        writer.close()
