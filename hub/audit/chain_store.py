"""The chain's two tables, beside the events and written in the transaction that appends them.

- ``hub_chain``: per stored event, its position (the notification id), digest and link;
- ``hub_checkpoints``: signed (position, link) pairs, made every ``HUB_CHECKPOINT_EVERY``
  events as they are appended, and by ``hub audit seal``.

The recorder appends under the lock that orders the log (SQLite's single writer,
PostgreSQL's EXCLUSIVE lock on the events table), so the head read here is the
head the new links must follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventsourcing.persistence import StoredEvent

from hub import clock
from hub.audit.chain import GENESIS, content_digest, next_link
from hub.audit.signer import CheckpointSigner
from hub.projections.sql import Cursor, Sql

CHAIN, CHECKPOINTS = "hub_chain", "hub_checkpoints"
TABLES = (CHAIN, CHECKPOINTS)
DEFAULT_EVERY = 1000

_DDL = {
    False: (
        "CREATE TABLE IF NOT EXISTS {hub_chain} (notification_id INTEGER PRIMARY KEY, digest BLOB NOT NULL,"
        " link BLOB NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {hub_checkpoints} (notification_id INTEGER PRIMARY KEY, link BLOB NOT NULL,"
        " signature BLOB NOT NULL, key_id TEXT NOT NULL, signed_at TEXT NOT NULL)",
    ),
    True: (
        "CREATE TABLE IF NOT EXISTS {hub_chain} (notification_id bigint PRIMARY KEY, digest bytea NOT NULL,"
        " link bytea NOT NULL)",
        "CREATE TABLE IF NOT EXISTS {hub_checkpoints} (notification_id bigint PRIMARY KEY, link bytea NOT NULL,"
        " signature bytea NOT NULL, key_id text NOT NULL, signed_at text NOT NULL)",
    ),
}
_HEAD = "SELECT notification_id, link FROM {hub_chain} ORDER BY notification_id DESC LIMIT 1"
_INSERT_LINK = "INSERT INTO {hub_chain} (notification_id, digest, link) VALUES (?, ?, ?)"
_INSERT_CHECKPOINT = (
    "INSERT INTO {hub_checkpoints} (notification_id, link, signature, key_id, signed_at) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (notification_id) DO NOTHING"
)


@dataclass(frozen=True)
class ChainEntry:
    position: int
    digest: bytes
    link: bytes


@dataclass(frozen=True)
class Checkpoint:
    position: int
    link: bytes
    signature: bytes
    key_id: str
    signed_at: datetime


class ChainStore:
    def __init__(self, sql: Sql, signer: CheckpointSigner, every: int = DEFAULT_EVERY, *, create: bool) -> None:
        self.sql = sql
        self.signer = signer
        self.every = every
        if create:
            sql.create(_DDL[sql.postgres], TABLES)

    def append(self, raw_cursor: Any, positions: Sequence[int], stored_events: Sequence[StoredEvent]) -> None:
        """Chains events just inserted at ``positions``, on the cursor of their transaction."""
        if len(positions) != len(stored_events):
            raise RuntimeError(f"{len(stored_events)} events were stored but {len(positions)} positions returned")
        cursor = Cursor(self.sql, raw_cursor)
        head_position, link = self._head(cursor)
        rows = []
        for position, stored in sorted(zip(positions, stored_events), key=lambda pair: pair[0]):
            digest = content_digest(stored.originator_id, stored.originator_version, stored.topic, stored.state)
            link = next_link(link, position, digest)
            rows.append((position, digest, link))
        cursor.executemany(_INSERT_LINK, TABLES, rows)
        if rows and rows[-1][0] // self.every > head_position // self.every:
            self._checkpoint(cursor, rows[-1][0], link)

    def seal(self) -> Checkpoint | None:
        """Signs the head now; None if nothing has been appended yet."""
        with self.sql.transaction() as cursor:
            position, link = self._head(cursor)
            if position == 0:
                return None
            self._checkpoint(cursor, position, link)
        return next(c for c in self.checkpoints() if c.position == position)

    def _head(self, cursor: Cursor) -> tuple[int, bytes]:
        cursor.execute(_HEAD, TABLES)
        row = cursor.cursor.fetchone()
        if row is None:
            return 0, GENESIS
        values = tuple(row.values()) if isinstance(row, dict) else tuple(row)
        return int(values[0]), bytes(values[1])

    def _checkpoint(self, cursor: Cursor, position: int, link: bytes) -> None:
        signature = self.signer.sign(position, link)
        cursor.execute(
            _INSERT_CHECKPOINT, TABLES,
            (position, link, signature, self.signer.public.id, clock.now().isoformat()),
        )

    # -- reading, for verification --

    def entries(self, after: int, up_to: int | None) -> list[ChainEntry]:
        statement = "SELECT notification_id, digest, link FROM {hub_chain} WHERE notification_id > ?"
        params: list[Any] = [after]
        if up_to is not None:
            statement += " AND notification_id <= ?"
            params.append(up_to)
        rows = self.sql.query(statement + " ORDER BY notification_id", TABLES, params)
        return [ChainEntry(int(p), bytes(d), bytes(link)) for p, d, link in rows]

    def positions_of(self, digest: bytes) -> list[int]:
        rows = self.sql.query("SELECT notification_id FROM {hub_chain} WHERE digest = ?", TABLES, [digest])
        return sorted(int(r[0]) for r in rows)

    def checkpoints(self) -> list[Checkpoint]:
        rows = self.sql.query(
            "SELECT notification_id, link, signature, key_id, signed_at FROM {hub_checkpoints} ORDER BY notification_id",
            TABLES,
        )
        return [Checkpoint(int(p), bytes(link), bytes(s), k, datetime.fromisoformat(at)) for p, link, s, k, at in rows]
