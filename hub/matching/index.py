"""Which children might be a given child: keyed hashes of name keys and IINs, never the names or numbers.

``hub_child_index`` holds, for every child the hub knows, an HMAC (under a key
derived from the master key) of each name key and of its first PREFIX letters,
and of its IIN where one was given (decision 0051): a child sharing the IIN is
found whatever its names, and a search by IIN finds the child it names.
A child's rows are rewritten in the views' batch transaction, whenever an event
about the child is projected (hub/projections/agency_views.py). Looking up a
child's own hashes finds the children that share a name key, or the start of
one, with them, most shared first; :mod:`hub.matching.score` then compares the
few found with their full records, read from the event store.

Without the master key the rows say nothing about anyone; with it, a guessed
name can be tested, as it could be against the events themselves. A record
found to be a duplicate (``same_as``), or whose identity was erased, has no rows.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from hub import clock
from hub.matching.profile import profile_of
from hub.projections.sql import Cursor, Sql

TABLES = ("hub_child_index",)
# Derived from the log: rebuilt beside the live tables, not migrated (hub/projections/rebuild.py), so the
# statements name their indexes by placeholder too.
INDEXES = ("hub_child_index_hash",)
CREATE = [
    """CREATE TABLE IF NOT EXISTS {hub_child_index} (
        child_id TEXT NOT NULL, name_hash TEXT NOT NULL, PRIMARY KEY (child_id, name_hash))""",
    "CREATE INDEX IF NOT EXISTS {hub_child_index_hash} ON {hub_child_index} (name_hash)",
]
PREFIX = 3
LIMIT = 50


class ChildIndex:
    def __init__(self, sql: Sql, key: bytes) -> None:
        self.sql = sql
        self._mac = hmac.new(key, digestmod=hashlib.sha256)  # copied for each hash: the key is not set up again
        sql.create(CREATE, TABLES, INDEXES)

    def hashes(self, child: Any) -> set[str]:
        """The hashes a child is indexed under; none for a duplicate record or an erased identity."""
        if child.same_as is not None:
            return set()
        profile = profile_of(child, clock.now().date())
        if profile is None:
            return set()
        names = profile.name_keys()
        numbers = {self.iin_hash(profile.iin)} if profile.iin else set()
        return {self._hash(f"n:{k}") for k in names} | {self._hash(f"p:{k[:PREFIX]}") for k in names} | numbers

    def iin_hash(self, iin: str) -> str:
        return self._hash(f"i:{iin}")

    def holding(self, name_hash: str) -> list[UUID]:
        """The children indexed under this one hash (an IIN's: at most a few records of one child)."""
        rows = self.sql.query(
            "SELECT child_id FROM {hub_child_index} WHERE name_hash = ? ORDER BY child_id LIMIT ?", TABLES,
            [name_hash, LIMIT],
        )
        return [UUID(r[0]) for r in rows]

    def replacing(self, children: Iterable[UUID], entries: list[tuple[UUID, str]]) -> Callable[[Cursor], None]:
        """A write to run in the views' transaction: these children's rows, and no others, change."""
        child_ids = [str(c) for c in children]
        rows = [[str(child_id), name_hash] for child_id, name_hash in entries]

        def write(cursor: Cursor) -> None:
            cursor.delete_children("hub_child_index", child_ids)
            cursor.insert_missing("hub_child_index", rows)

        return write

    def sharing(self, child_id: UUID, hashes: set[str]) -> list[UUID]:
        """Other children indexed under any of these hashes, those sharing the most first."""
        if not hashes:
            return []
        marks = ", ".join("?" * len(hashes))
        rows = self.sql.query(
            f"SELECT child_id, COUNT(*) AS shared FROM {{hub_child_index}} WHERE name_hash IN ({marks}) "
            "AND child_id <> ? GROUP BY child_id ORDER BY shared DESC, child_id LIMIT ?",
            TABLES,
            [*sorted(hashes), str(child_id), LIMIT],
        )
        return [UUID(r[0]) for r in rows]

    def _hash(self, text: str) -> str:
        mac = self._mac.copy()
        mac.update(text.encode())
        return mac.hexdigest()[:32]
