"""The outbound relay: what each body may see of a child, published to that body's topic.

The per-agency views (hub/projections) note every child they rewrite in
``hub_view_changes``, in the same transaction as the views. The relay reads
those changes after its own tracked position, and for every changed child sends
each body that sees something of the child - or was last sent something - one
message keyed by the child's id: the child's records exactly as that body's
view holds them (already filtered by the policy), or an empty list when the body
no longer sees anything. The relay never decides who sees what: a body without
rows in the views gets nothing, ever.

Delivery ("effectively once", deploy/OPERATOR.md): the producer waits for every
message of a round to be acknowledged by all in-sync replicas (acks=all) before
the relay records its new position. A crash between the two re-sends that one
round after the restart, never loses one. Every message carries the log
``position`` it reflects and is a whole snapshot of what the body sees of the
child, so a consumer keeps the highest position per child and drops any message
whose position is not higher.

One relay works at a time (docs/decisions/0031): any number may run, the elected one relays, and its
recording transaction checks its fencing token, so a former leader's round is never recorded. A leader
that died after sending a round and before recording it leaves that round on the topics: the next leader
reads the topics from where the last recorded round ended and sends only what is not there yet
(hub/kafka/sent_before.py), so each message reaches its topic once. Each round is one Kafka transaction
of the deployment's one transactional id, and a new leader starts a new producer before it reads: the
broker then refuses whatever the former leader's producer still had in flight, which would otherwise land
after the read and be sent twice.

Every message is a disclosure, and is recorded as one in the event log before
it is sent (docs/decisions/0014): one read per record it carries, by the
receiving body through its topic, with the record's fields and the rules that
show them. Recorded first, a message can never leave unrecorded; a round sent
again (after a failure or a crash) is recorded again, because it was sent again.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from kafka import KafkaProducer
from kafka.errors import ProducerFencedError

from hub.actor import Actor
from hub.bootstrap import Hub
from hub.delivery.channel import Channel
from hub.kafka.clients import OwnProducer, Topics, fencing_producer
from hub.kafka.running import Backoff
from hub.kafka.sent_before import message_ids_after
from hub.kafka.settings import KafkaSettings
from hub.kafka.transient import TRANSIENT
from hub.leadership.leader import Leader
from hub.leadership.leading import poll_as_leader
from hub.leadership.lease import Fenced
from hub.observability.metrics import DELIVERY_FAILURES, RELAY_SENT
from hub.projections.sql import Sql
from hub.projections.view_store import ViewRow
from hub.store import discard_dead_connections

log = logging.getLogger(__name__)

TABLES = ("hub_view_changes", "hub_relay_tracking", "hub_relay_sent", "hub_relay_offsets")
KIND = "relay"
MESSAGE_TYPE = "child_view"



class LostRace(Exception):
    """Another relay recorded a position meanwhile: this round is not recorded (its messages are duplicates)."""


@dataclass(frozen=True)
class Outbound:
    topic: str
    agency: str
    child_id: str
    position: int
    rows: list[ViewRow]

    @property
    def records(self) -> list[dict[str, Any]]:
        return [record_of(row) for row in self.rows]

    def reader(self) -> Actor:
        """Who reads it: the body, through its topic, in each role the message names per field."""
        return Actor(agency=self.agency, role="*", user=self.topic)

    def purpose(self) -> str:
        # The position is the message id's second half: an auditor matches a disclosure to the
        # message the body holds, and tells a round sent again from a new one.
        return f"relay:{self.position}"

    def value(self) -> bytes:
        return json.dumps(
            {"type": MESSAGE_TYPE, "agency": self.agency, "child_id": self.child_id, "position": self.position,
             "records": self.records},
            separators=(",", ":"),
            sort_keys=True,
        ).encode()

    def headers(self) -> list[tuple[str, bytes]]:
        return [
            ("message-type", MESSAGE_TYPE.encode()),
            ("message-id", f"{self.child_id}:{self.position}".encode()),
            ("child-id", self.child_id.encode()),
            ("position", str(self.position).encode()),
            ("content-type", b"application/json"),
        ]


def record_of(row: ViewRow) -> dict[str, Any]:
    return {
        "record_type": row.record_type,
        "record_id": row.record_id,
        "record": row.body,
        "rules": row.rules,
        "roles": row.roles,
        "policy_version": row.policy_version,
        "valid_until": row.valid_until,
    }


def notices_delivered_by(messages: list[Outbound]) -> list[tuple[UUID, str]]:
    """The notices a round carries to the bodies they are addressed to, as (notice, recipient)."""
    return [
        (UUID(row.record_id), m.agency)
        for m in messages for row in m.rows
        if row.record_type == "notice" and row.body.get("kind") == "notice" and m.agency in row.body.get("to", [])
    ]


class Relay:
    NAME = "outbound"

    def __init__(
        self,
        app: Hub,
        settings: KafkaSettings,
        producer: KafkaProducer | None = None,
        topics: Topics | None = None,
        leader: Leader | None = None,
    ) -> None:
        self.app = app
        self.settings = settings
        self.leader = leader or Leader.of(app.store, KIND)
        # From a round's first send until it is recorded, what is on the topics is unknown: the round after
        # a failed one, and a new term's first round (run), look there first.
        self.taking_over = False
        self.sql = Sql(app.store.recorder)
        self.views = app.views.store  # creates hub_view_changes
        self.producer = OwnProducer(settings, producer, make=fencing_producer)
        self.topics = topics or Topics(settings)

    def close(self) -> None:
        self.producer.discard()

    # -- positions -------------------------------------------------------------------------------

    def position(self) -> int:
        rows = self.sql.query("SELECT position FROM {hub_relay_tracking} WHERE name = ?", TABLES, [self.NAME])
        return int(rows[0][0]) if rows else 0

    def pending(self, after: int) -> list[tuple[int, str]]:
        """The changes of the next ``relay_batch`` positions after ``after``, in log order."""
        last = self.sql.query(
            "SELECT MAX(position) FROM (SELECT DISTINCT position FROM {hub_view_changes} WHERE position > ? "
            "ORDER BY position LIMIT ?) AS batch",
            TABLES,
            [after, self.settings.relay_batch],
        )
        if not last or last[0][0] is None:
            return []
        rows = self.sql.query(
            "SELECT position, child_id FROM {hub_view_changes} WHERE position > ? AND position <= ? "
            "ORDER BY position, child_id",
            TABLES,
            [after, int(last[0][0])],
        )
        return [(int(p), c) for p, c in rows]

    def _sent(self, children: list[str]) -> dict[str, set[str]]:
        sent: dict[str, set[str]] = {}
        for child_id in children:
            rows = self.sql.query("SELECT agency FROM {hub_relay_sent} WHERE child_id = ?", TABLES, [child_id])
            sent[child_id] = {r[0] for r in rows}
        return sent

    # -- one round -------------------------------------------------------------------------------

    def messages(self, changes: list[tuple[int, str]]) -> list[Outbound]:
        """For each changed child (at its latest position in the round), a message to every body concerned."""
        latest: dict[str, int] = {}
        for position, child_id in changes:
            latest[child_id] = position
        previously = self._sent(list(latest))
        out: list[Outbound] = []
        for child_id, position in sorted(latest.items(), key=lambda item: (item[1], item[0])):
            by_agency: dict[str, list[ViewRow]] = {}
            for row in self.views.rows_of_child(UUID(child_id)):
                by_agency.setdefault(row.agency, []).append(row)
            for agency in sorted(set(by_agency) | previously[child_id]):
                out.append(
                    Outbound(self.settings.outbound_topic(agency), agency, child_id, position, by_agency.get(agency, []))
                )
        return out

    def offsets(self) -> dict[tuple[str, int], int]:
        rows = self.sql.query("SELECT topic, part, next_offset FROM {hub_relay_offsets}", TABLES)
        return {(r[0], int(r[1])): int(r[2]) for r in rows}

    def not_sent_yet(self, messages: list[Outbound]) -> list[Outbound]:
        """After a takeover or a failed round, the messages not already on their topics."""
        if not self.taking_over:
            return messages
        # Fence, then read: a new producer of the relays' transactional id makes the broker refuse what an
        # earlier one - a killed leader's, or this relay's own from a failed round - still has in flight.
        self.producer.discard()
        self.producer()
        there = message_ids_after(self.settings, {m.topic for m in messages}, self.offsets())
        fresh = [m for m in messages if (m.topic, dict(m.headers())["message-id"].decode()) not in there]
        if len(fresh) < len(messages):
            log.warning("%d message(s) of this round were sent by a former relay: not sent again",
                        len(messages) - len(fresh))
        return fresh

    def relay_once(self) -> int:
        """Publishes the next round of changes; returns how many messages it sent (0: nothing to do)."""
        start = self.position()
        changes = self.pending(start)
        if not changes:
            return 0
        messages = self.messages(changes)
        self.topics.ensure({m.topic for m in messages})
        unsent = self.not_sent_yet(messages)
        self.app.reads.record_publications([(m.reader(), m.purpose(), row) for m in unsent for row in m.rows])
        self.taking_over = True
        notices = notices_delivered_by(messages)  # those a former leader sent are on their topics too
        try:
            ends = self._publish(unsent) if unsent else {}
        except ProducerFencedError as error:
            self.close()
            raise Fenced("a newer relay's producer took over the transactional id") from error
        except TRANSIENT as error:
            DELIVERY_FAILURES.inc()
            self.close()  # the next round starts with a new producer (see clients.close_producer)
            self._failed(notices_delivered_by(unsent), error)
            raise
        # Acknowledged by the broker: delivered. Recorded before the position moves, so that a crash in
        # between sends the round again and records it then (docs/decisions/0036).
        self.app.deliveries.delivered_to(notices, Channel.TOPIC)
        try:
            self._record(start, changes[-1][0], messages, ends)
            self.taking_over = False
        except LostRace:
            log.warning("another relay advanced the position past %s: this round was a duplicate", start)
        RELAY_SENT.inc(len(unsent))
        return len(unsent)

    def _publish(self, messages: list[Outbound]) -> dict[tuple[str, int], int]:
        """Sends ``messages`` in one transaction; returns, per partition, the offset after its last message."""
        producer = self.producer()
        producer.begin_transaction()
        futures = [
            producer.send(m.topic, key=m.child_id.encode(), value=m.value(), headers=m.headers()) for m in messages
        ]
        # Bounded here: committing waits for every message without a limit of its own.
        producer.flush(timeout=self.settings.flush_timeout_s)
        ends: dict[tuple[str, int], int] = {}
        for future in futures:
            sent = future.get(timeout=0)  # raises if the broker did not take it: the position stays
            ends[(sent.topic, sent.partition)] = max(ends.get((sent.topic, sent.partition), 0), sent.offset + 1)
        producer.commit_transaction()
        return ends

    def _failed(self, notices: list[tuple[UUID, str]], error: Exception) -> None:
        """Each notice the round carried failed to reach its recipient's topic: recorded once per outage
        (the relay tries again for as long as it takes), and never in place of the broker's error."""
        try:
            for notice_id, _ in notices:
                self.app.deliveries.failed(notice_id, Channel.TOPIC, type(error).__name__, repeat=False)
        except Exception:
            log.warning("could not record the failed delivery of %s notice(s)", len(notices), exc_info=True)

    def _record(self, start: int, upto: int, messages: list[Outbound], ends: dict[tuple[str, int], int]) -> None:
        children = sorted({m.child_id for m in messages})
        with self.sql.transaction() as cursor:
            self.leader.fence(cursor)  # a former leader's round is never recorded (docs/decisions/0031)
            cursor.execute(
                "INSERT INTO {hub_relay_tracking} (name, position) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET position = excluded.position "
                "WHERE {hub_relay_tracking}.position = ?",
                TABLES,
                [self.NAME, upto, start],
            )
            cursor.execute("SELECT position FROM {hub_relay_tracking} WHERE name = ?", TABLES, [self.NAME])
            row = cursor.cursor.fetchone()
            if int(row[0] if not isinstance(row, dict) else row["position"]) != upto:
                raise LostRace()  # rolls the transaction back
            cursor.executemany("DELETE FROM {hub_relay_sent} WHERE child_id = ?", TABLES, [[c] for c in children])
            cursor.executemany(
                "INSERT INTO {hub_relay_sent} VALUES (?, ?, ?)",
                TABLES,
                [[m.child_id, m.agency, m.position] for m in messages if m.rows],
            )
            # Delivered changes are not needed again.
            cursor.execute("DELETE FROM {hub_view_changes} WHERE position <= ?", TABLES, [upto])
            cursor.executemany(
                "INSERT INTO {hub_relay_offsets} (topic, part, next_offset) VALUES (?, ?, ?) "
                "ON CONFLICT (topic, part) DO UPDATE SET next_offset = excluded.next_offset",
                TABLES,
                [[topic, part, offset] for (topic, part), offset in sorted(ends.items())],
            )

    # -- the process -----------------------------------------------------------------------------

    def run(self, stop: threading.Event, project: Callable[[], Any] | None = None) -> None:
        """Relays while elected, until stopped; ``project`` (the views' catch-up) runs first in each round if
        given."""

        def step() -> int:
            if project is not None:
                project()
            before = self.position()
            # A round can move on without a message (a change no body sees): that is progress too.
            return self.relay_once() or int(self.position() != before)

        def new_term() -> None:
            self.taking_over = True

        poll_as_leader(
            self.leader, step, stop, self.settings.interval_s,
            Backoff(self.settings.backoff_s, self.settings.backoff_max_s),
            lambda: discard_dead_connections(self.app.store.recorder), on_lead=new_term,
        )
