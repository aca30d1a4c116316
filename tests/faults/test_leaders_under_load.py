"""Two projectors and two relays under load, their leader SIGKILLed (docs/decisions/0031).

The hub runs as a deployment with spares runs it: ``hub serve`` (not projecting), ``hub ingest``, and two
``hub project`` and two ``hub relay`` processes on PostgreSQL and a Kafka-protocol broker, while referrals
stream in over Kafka and HTTP. At moments drawn from a printed seed the process leading the projectors or
the relays - whichever the store's lease names - is SIGKILLed and started again; its spare must take over
within seconds.

Afterwards every referral a client was told of is in the log once; every message the relays sent is on its
topic exactly once, and what each body holds from its topic is what its view shows; and the views the
killed leaders built equal the views rebuilt from scratch.

``HUB_LEADER_REFERRALS`` (300 in CI; more for a soak) and ``HUB_LEADER_KILLS`` (4) size it; ``HUB_FAULT_SEED`` repeats a run.
"""

from __future__ import annotations

import json
import os
import time
from uuid import UUID

import psycopg
import pytest

from hub.kafka.relay import Relay
from hub.kafka.settings import KafkaSettings
from tests.faults.kill_plan import fault_seed, kill_plan
from tests.faults.outbound import held, read_to_end, repeated
from tests.faults.processes import HubProcess, HubProcesses
from tests.faults.projection import compared_with_a_rebuild, project_to_the_end
from tests.faults.store import Store, own_session
from tests.faults.stream import Stream
from tests.kafka_support import settings_for, wait_for

pytestmark = pytest.mark.faults

REFERRALS = int(os.environ.get("HUB_LEADER_REFERRALS", "300"))
KILLS = int(os.environ.get("HUB_LEADER_KILLS", "4"))
WAIT = 300.0 + REFERRALS / 5
FAILOVER = 15.0  # a spare's poll (1 s) and its start on the log, with room for a loaded 2-core machine
PROCESSES = {"serve": "serve", "ingest": "ingest", "project": "project", "project-2": "project",
             "relay": "relay", "relay-2": "relay"}
# One API process with few threads: six processes share the test's PostgreSQL with other suites.
ENV = {"HUB_SERVE_PROJECTS": "no", "HUB_SERVE_WORKERS": "1", "HUB_SERVE_THREADS": "4"}
# The relays' own memory of what they sent, and the change log they empty as they deliver: not the views.
RELAY_TABLES = frozenset({"hub_view_changes", "hub_relay_tracking", "hub_relay_sent", "hub_relay_offsets"})


def lease(store: Store, kind: str) -> tuple[int, int] | None:
    """(token, pid) of the leader of ``kind``."""
    with own_session() as conn:
        row = conn.execute(
            f'SELECT token, holder FROM "{store.schema}".hub_leader_leases WHERE kind = %s', [kind]
        ).fetchone()
    return None if row is None else (int(row[0]), int(row[1].rsplit(":", 1)[1]))


def leading(store: Store, processes: HubProcesses, kind: str) -> HubProcess:
    def found() -> HubProcess | None:
        held_by = lease(store, kind)
        return None if held_by is None else processes.by_pid(held_by[1])

    return wait_for(found, FAILOVER, f"a {kind} leader")


def kill_the_leader(store: Store, processes: HubProcesses, kind: str) -> float:
    """SIGKILLs the leader of ``kind``, starts it again as a spare; returns how long the failover took."""
    victim = leading(store, processes, kind)
    token = lease(store, kind)
    assert token is not None
    victim.kill()
    killed = time.monotonic()
    wait_for(lambda: (lease(store, kind) or (0, 0))[0] > token[0], FAILOVER, f"a spare {kind} to take over")
    took = time.monotonic() - killed
    processes.start([victim.name])
    return took


def relayed_to_the_end(store: Store) -> bool:
    try:
        return _relayed_to_the_end(store)
    except psycopg.OperationalError:  # the shared server's connections all taken for a moment: look again
        return False


def _relayed_to_the_end(store: Store) -> bool:
    """The views reflect the whole log and the relay sent every change they noted (the log goes on growing
    by the relay's own disclosures, which change no view)."""
    with own_session() as conn:
        views = conn.execute(
            f'SELECT position FROM "{store.schema}".hub_view_tracking WHERE name = %s', ["agency_views"]
        ).fetchone()
        relay = conn.execute(
            f'SELECT position FROM "{store.schema}".hub_relay_tracking WHERE name = %s', [Relay.NAME]
        ).fetchone()
        pending = conn.execute(
            f'SELECT COUNT(*) FROM "{store.schema}".hub_view_changes WHERE position > %s', [relay[0] if relay else 0]
        ).fetchone()
    end = store.hub.store.recorder.max_notification_id()
    return views is not None and relay is not None and views[0] == end and pending[0] == 0


def view_of_each_body(store: Store) -> dict[tuple[str, str], list[str]]:
    with own_session() as conn:
        children = [c for (c,) in conn.execute(f'SELECT DISTINCT child_id FROM "{store.schema}".hub_views')]
    shown: dict[tuple[str, str], list[str]] = {}
    for child in children:
        for row in store.hub.views.store.rows_of_child(UUID(child)):
            shown.setdefault((row.agency, child), []).append(f"{row.record_type}:{row.record_id}")
    return {key: sorted(records) for key, records in shown.items()}


def outbound_topics(store: Store, settings: KafkaSettings) -> list[str]:
    return [settings.outbound_topic(a.code) for a in store.hub.directory.agencies()]


def test_spare_projectors_and_relays_take_over_from_a_killed_leader_and_send_each_message_once(
    store: Store, kafka_broker, hub_processes
) -> None:
    seed = fault_seed()
    settings = settings_for(kafka_broker)
    stream = Stream(store, settings, hub_processes, REFERRALS, WAIT, names=PROCESSES,
                    env=ENV)
    processes, ledger = stream.processes, stream.ledger
    plan = kill_plan(seed, ledger.expected, KILLS, ["project", "relay"])
    why = f"HUB_FAULT_SEED={seed}"
    print(f"{why}: {stream}; kills of the leaders {'; '.join(map(str, plan))}")

    stream.start()
    failovers = []
    for kill in plan:
        wait_for(lambda kill=kill: ledger.referrals() >= kill.at, WAIT, f"{kill.at} referrals ({why})", every=0.2)
        failovers += [kill_the_leader(store, processes, kind) for kind in kill.targets]
    ledger.settle(WAIT, why)
    wait_for(lambda: relayed_to_the_end(store), WAIT, f"the relays to send every change ({why})", every=0.5)
    assert all(processes.stop().values()), why  # leaders and spares alike stop cleanly
    ledger.check(why)
    assert max(failovers) < FAILOVER, why

    records = read_to_end(settings, outbound_topics(store, settings))
    assert records, why
    assert repeated(records) == {}, why  # every message on its topic exactly once
    assert held(records) == view_of_each_body(store), why  # and each body holds what its view shows

    # The views the killed leaders built equal the views built from scratch.
    found, took = compared_with_a_rebuild(
        store.hub, store.schema, lambda: project_to_the_end(store.hub, store.schema, processes, WAIT), RELAY_TABLES
    )
    assert not found, f"{why}: {json.dumps(found, indent=1)}"
    print(f"{ledger.expected} referrals, {len(records)} messages, failovers in "
          f"{', '.join(f'{f:.1f}s' for f in failovers)}; rebuilt the views in {took:.0f}s")
