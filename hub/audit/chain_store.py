"""The chain's table, beside the events and written in the transaction that appends them, and the
checkpoints that sign it (hub/audit/checkpoint_store.py).

- ``hub_chain``: per stored event, its position (the notification id), digest and link;
- a signed checkpoint at the first position at or past every multiple of ``HUB_CHECKPOINT_EVERY``,
  in the append's transaction, so that the log's length says which checkpoints must exist; and
  one at the head whenever ``hub audit seal`` runs.

The recorder appends under the lock that orders the log (SQLite's single writer,
PostgreSQL's EXCLUSIVE lock on the events table), so the head read here is the
head the new links must follow. ``seal`` takes the same lock: checkpoints are
then made, and committed, in position order, which the publisher relies on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from eventsourcing.persistence import StoredEvent

from hub import clock
from hub.audit.chain import GENESIS, content_digest, next_link
from hub.audit.checkpoint import Checkpoint, Head
from hub.audit.checkpoint_store import CheckpointStore, values
from hub.audit.merkle import Frontier, entry_leaf
from hub.audit.signer import CheckpointSigner
from hub.projections.sql import Cursor, Sql

CHAIN = "hub_chain"
TABLES = (CHAIN,)
DEFAULT_EVERY = 1000

_HEAD = "SELECT notification_id, link FROM {hub_chain} ORDER BY notification_id DESC LIMIT 1"
_INSERT_LINK = "INSERT INTO {hub_chain} (notification_id, digest, link) VALUES (?, ?, ?)"


class ChainEntry(NamedTuple):
    """A tuple, not a dataclass: verification makes one per stored event, and a frozen dataclass's
    construction cost a fifth of verifying the entry."""

    position: int
    digest: bytes
    link: bytes

    @property
    def leaf(self) -> bytes:
        return entry_leaf(self.position, self.digest)


def crosses(previous: int, position: int, every: int) -> bool:
    """Whether ``position``, following ``previous`` in the chain, is the first at or past a multiple of ``every``."""
    return position // every > previous // every


class ChainStore:
    def __init__(
        self, sql: Sql, signer: CheckpointSigner, every: int = DEFAULT_EVERY, *,
        lock_statements: Sequence[Any] = (),
    ) -> None:
        self.sql = sql
        self.signer = signer
        self.every = every
        self.lock_statements = lock_statements  # PostgreSQL's recorder's: they serialise appends
        self.checkpoints = CheckpointStore(sql)

    def append(self, raw_cursor: Any, positions: Sequence[int], stored_events: Sequence[StoredEvent]) -> None:
        """Chains events just inserted at ``positions``, on the cursor of their transaction, and signs the
        checkpoints they make due."""
        if len(positions) != len(stored_events):
            raise RuntimeError(f"{len(stored_events)} events were stored but {len(positions)} positions returned")
        cursor = Cursor(self.sql, raw_cursor)
        head_position, link = self._head(cursor)
        entries: list[ChainEntry] = []
        due: list[int] = []  # how many of the new entries each due checkpoint covers
        previous = head_position
        for position, stored in sorted(zip(positions, stored_events, strict=True), key=lambda pair: pair[0]):
            digest = content_digest(stored.originator_id, stored.originator_version, stored.topic, stored.state)
            link = next_link(link, position, digest)
            entries.append(ChainEntry(position, digest, link))
            if crosses(previous, position, self.every):
                due.append(len(entries))
            previous = position
        cursor.executemany(_INSERT_LINK, TABLES, [(e.position, e.digest, e.link) for e in entries])
        if due:
            cursor = self._fresh(cursor)
            frontier = self._tree_at(cursor, head_position)
            covered = 0
            for count in due:
                for entry in entries[covered:count]:
                    frontier.append(entry.leaf)
                covered = count
                self._checkpoint(cursor, entries[count - 1].position, entries[count - 1].link, frontier)

    def seal(self) -> Checkpoint | None:
        """Signs the head now (or returns the checkpoint already there); None if nothing has been appended yet."""
        with self.sql.transaction() as cursor:
            for statement in self.lock_statements:
                cursor.cursor.execute(statement)
            position, link = self._head(cursor)
            if position == 0:
                return None
            signed = self.checkpoints.at(cursor, position)
            if signed is None:
                signed = self._checkpoint(cursor, position, link, self._tree_at(cursor, position))
        return signed

    def _fresh(self, cursor: Cursor) -> Cursor:
        """A cursor of the same transaction for the reads after an ``executemany``: in psycopg's pipeline
        mode, the cursor of a large one can still hold its last INSERT's result and answer a following
        SELECT's fetch with it ("the last operation didn't produce records"), as a poll of Kafka
        messages saved in one transaction showed (docs/decisions/0028)."""
        if not self.sql.postgres:
            return cursor
        raw = cursor.cursor
        return Cursor(self.sql, raw.connection.cursor(row_factory=raw.row_factory))

    def _head(self, cursor: Cursor) -> tuple[int, bytes]:
        cursor.execute(_HEAD, TABLES)
        row = cursor.cursor.fetchone()
        if row is None:
            return 0, GENESIS
        position, link = values(row)
        return int(position), bytes(link)

    def _tree_at(self, cursor: Cursor, position: int) -> Frontier:
        """The Merkle tree of the entries up to ``position``: the last checkpoint's, extended."""
        after, frontier = self.checkpoints.frontier_at_or_before(cursor, position)
        cursor.execute(
            "SELECT notification_id, digest FROM {hub_chain} WHERE notification_id > ? AND notification_id <= ?"
            " ORDER BY notification_id",
            TABLES, [after, position],
        )
        for row in cursor.cursor.fetchall():
            at, digest = values(row)
            frontier.append(entry_leaf(int(at), bytes(digest)))
        return frontier

    def _checkpoint(self, cursor: Cursor, position: int, link: bytes, frontier: Frontier) -> Checkpoint:
        checkpoint = self.signer.sign(Head(position, link, frontier.size, frontier.root(), clock.now()))
        self.checkpoints.add(cursor, checkpoint, frontier)
        return checkpoint

    # -- reading, for verification and proofs --

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
