"""The Kafka broker crashes (SIGKILL) mid-stream and comes back: ``hub ingest`` carries on by itself - the
same process, never restarted - and applies every message exactly once, those produced before the crash
and after; meanwhile the hub goes on answering over HTTP, which does not need the broker. The broker keeps
its data across the restart (tests/kafka_support.py ``durable_broker``)."""

from __future__ import annotations

import random

import pytest

from tests.faults.kill_plan import fault_seed, moments
from tests.faults.store import Store
from tests.faults.stream import Stream
from tests.kafka_support import Tansu, settings_for, wait_for

pytestmark = pytest.mark.faults

REFERRALS = 400
WAIT = 300.0


def test_the_broker_crashing_mid_stream_loses_nothing_and_ingestion_resumes_by_itself(
    store: Store, durable_broker: Tansu, hub_processes
) -> None:
    seed = fault_seed()
    settings = settings_for(durable_broker, flush_timeout_s=5.0)
    stream = Stream(store, settings, hub_processes, REFERRALS, WAIT, names=("serve", "ingest"))
    kafka, http, ledger = stream.kafka, stream.http, stream.ledger
    before = len(kafka.messages) // 2  # produced before the crash; the rest after the broker is back
    crash_at = moments(random.Random(seed), before, 1)[0]
    why = f"HUB_FAULT_SEED={seed}"
    print(f"{why}: {stream}; the broker crashes once {crash_at} messages are applied")

    stream.start(before)
    ingest = stream.processes["ingest"]
    wait_for(lambda: len(ledger.receipts.read()) >= crash_at, WAIT, f"{crash_at} messages applied ({why})", every=0.2)
    durable_broker.stop(kill=True)
    acknowledged = len(http.acknowledged)
    # The API does not need the broker: referrals go on being acknowledged while it is down.
    wait_for(lambda: len(http.acknowledged) >= min(acknowledged + 20, len(http.keys)), WAIT, "answers over HTTP")
    durable_broker.start()
    kafka.produce(kafka.messages[before:])
    ledger.settle(WAIT, why)
    assert (ingest.starts, ingest.running) == (1, True), stream.processes.logs()
    assert stream.processes.stop() == {"serve": True, "ingest": True}
    ledger.check(why)
