"""The deliveries still to make, beside the log: one row per notice and channel until it is delivered or
given up. The log stays the record (Notice.DeliveryRecorded); this table only says what to try next, when.

Rows come from the log's ``Notice.Created`` events after the queue's tracked position, so a notice created
while no worker ran is delivered when one starts. Two workers share the table: a worker claims a row by
setting its lease in one conditional UPDATE, which only one of them can win, and a claim whose worker died
runs out and is taken by another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from hub.aggregates.notice import Notice
from hub.projections.sql import Sql

TABLES = ("hub_delivery_queue", "hub_delivery_tracking")
CREATED = get_topic(Notice.Created)
BATCH = 500
_NAME = "deliveries"



@dataclass(frozen=True)
class Pending:
    notice_id: UUID
    channel: str
    failures: int


class DeliveryQueue:
    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.sql = Sql(recorder)

    def position(self) -> int:
        rows = self.sql.query("SELECT position FROM {hub_delivery_tracking} WHERE name = ?", TABLES, [_NAME])
        return int(rows[0][0]) if rows else 0

    def created_after(self, position: int) -> tuple[list[UUID], int]:
        """The notices created after ``position``, and the position read up to."""
        found = self.recorder.select_notifications(start=position + 1, limit=BATCH, topics=[CREATED])
        return [n.originator_id for n in found], (found[-1].id if found else position)

    def add(self, rows: list[tuple[UUID, str]], now: float, upto: int) -> None:
        """Queues ``rows`` and moves the position, in one transaction; rows already queued stay as they are."""
        with self.sql.transaction() as cursor:
            cursor.executemany(
                "INSERT INTO {hub_delivery_queue} (notice_id, channel, failures, due_at, lease_until) "
                "VALUES (?, ?, 0, ?, 0) ON CONFLICT (notice_id, channel) DO NOTHING",
                TABLES, [[str(notice_id), channel, now] for notice_id, channel in rows],
            )
            cursor.execute(
                "INSERT INTO {hub_delivery_tracking} (name, position) VALUES (?, ?) ON CONFLICT (name) "
                "DO UPDATE SET position = excluded.position WHERE {hub_delivery_tracking}.position < excluded.position",
                TABLES, [_NAME, upto],
            )

    def due(self, channels: list[str], now: float, limit: int) -> list[Pending]:
        marks = ", ".join("?" for _ in channels)
        rows = self.sql.query(
            f"SELECT notice_id, channel, failures FROM {{hub_delivery_queue}} WHERE channel IN ({marks}) "
            "AND due_at <= ? AND lease_until <= ? ORDER BY due_at LIMIT ?",
            TABLES, [*channels, now, now, limit],
        )
        return [Pending(UUID(n), c, int(f)) for n, c, f in rows]

    def claim(self, pending: Pending, now: float, until: float) -> bool:
        """Whether this worker won the row: only one conditional UPDATE can change it while its lease runs."""
        with self.sql.transaction() as cursor:
            cursor.execute(
                "UPDATE {hub_delivery_queue} SET lease_until = ? WHERE notice_id = ? AND channel = ? "
                "AND lease_until <= ? AND failures = ? RETURNING notice_id",
                TABLES, [until, str(pending.notice_id), pending.channel, now, pending.failures],
            )
            return bool(cursor.fetchall())

    def done(self, pending: Pending) -> None:
        with self.sql.transaction() as cursor:
            cursor.execute(
                "DELETE FROM {hub_delivery_queue} WHERE notice_id = ? AND channel = ?",
                TABLES, [str(pending.notice_id), pending.channel],
            )

    def later(self, pending: Pending, failures: int, due_at: float) -> None:
        """Tried again at ``due_at``; the lease ends now."""
        with self.sql.transaction() as cursor:
            cursor.execute(
                "UPDATE {hub_delivery_queue} SET failures = ?, due_at = ?, lease_until = 0 "
                "WHERE notice_id = ? AND channel = ?",
                TABLES, [failures, due_at, str(pending.notice_id), pending.channel],
            )
