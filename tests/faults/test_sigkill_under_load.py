"""SIGKILL at random moments while referrals stream in over Kafka and HTTP.

The hub runs as an operator runs it: ``hub serve``, ``hub ingest`` and ``hub project`` as processes on
PostgreSQL and a Kafka-protocol broker. The agencies' messages wait on the adapters' topics while clients
POST referrals; at moments drawn from a printed seed, some of the processes are SIGKILLed and started
again. The clients do what real ones do: a request whose connection broke is sent again, with the same
Idempotency-Key, until it is answered.

Afterwards every referral a client was told of is in the log exactly once and there is no other; every
message produced was applied exactly once and its offset committed; and the views the killed processes
built equal the views rebuilt from scratch.

``HUB_FAULT_REFERRALS`` referrals (2,000 unless set: the size CI affords; 10,000 or more for a soak) stream
in, half each way; ``HUB_FAULT_KILLS`` kills (6) strike; ``HUB_FAULT_SEED`` repeats a run's kill moments
(README.md, "Fault tests").
"""

from __future__ import annotations

import json
import os
import time

import pytest

from tests.faults.kill_plan import fault_seed, kill_plan
from tests.faults.projection import compared_with_a_rebuild, project_to_the_end
from tests.faults.store import Store
from tests.faults.stream import Stream
from tests.kafka_support import settings_for, wait_for

pytestmark = pytest.mark.faults

REFERRALS = int(os.environ.get("HUB_FAULT_REFERRALS", "2000"))
KILLS = int(os.environ.get("HUB_FAULT_KILLS", "6"))
# A bound for stuck progress, not a speed requirement: far above what the slowest run needs.
WAIT = 300.0 + REFERRALS / 5


def test_processes_killed_at_random_moments_lose_nothing_and_repeat_nothing(
    store: Store, kafka_broker, hub_processes
) -> None:
    seed = fault_seed()
    stream = Stream(store, settings_for(kafka_broker), hub_processes, REFERRALS, WAIT)
    processes, ledger = stream.processes, stream.ledger
    plan = kill_plan(seed, ledger.expected, KILLS, list(processes.processes))
    why = f"HUB_FAULT_SEED={seed}"
    print(f"{why}: {stream}; kills {'; '.join(map(str, plan))}")

    started = time.monotonic()
    stream.start()
    for kill in plan:
        wait_for(lambda kill=kill: ledger.referrals() >= kill.at, WAIT, f"{kill.at} referrals ({why})", every=0.2)
        processes.restart_killed(kill.targets)
    ledger.settle(WAIT, why)
    streamed = time.monotonic() - started
    assert processes.stop() == {"serve": True, "ingest": True, "project": True}  # each stops cleanly afterwards
    ledger.check(why)
    # A killed server is a broken connection to its clients, never an error answer.
    assert not [answer for answer in stream.http.answers if answer.startswith("retried after 5")], why

    # The views the killed processes built equal the views built from scratch.
    project_to_the_end(store.hub, store.schema, processes, WAIT)
    found, took = compared_with_a_rebuild(
        store.hub, store.schema, lambda: project_to_the_end(store.hub, store.schema, processes, WAIT)
    )
    assert not found, f"{why}: {json.dumps(found, indent=1)}"
    print(f"streamed {ledger.expected} referrals with {len(plan)} kills in {streamed:.0f}s "
          f"(client answers: {dict(stream.http.answers)}); rebuilt the views in {took:.0f}s")
