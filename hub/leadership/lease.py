"""Fencing tokens: each new leader of a kind takes the next number, and every write the worker commits
checks, in its own transaction, that the number is still its own.

A former leader that lost its lock without knowing it (paused, cut off) still holds an old number, and
its next commit is refused. On PostgreSQL the check reads the row ``FOR SHARE``: a new leader taking
the next number waits for a commit in flight, so no commit of the old leader lands after the new one began.
"""

from __future__ import annotations

from typing import Any

from hub import clock
from hub.projections.sql import Cursor, Sql

TABLES = ("hub_leader_leases",)


class Fenced(Exception):
    """Another worker of this kind leads now: this one's writes are refused."""


class Leases:
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def take(self, kind: str, holder: str) -> int:
        """The next token of ``kind``, now held by ``holder``."""
        with self.sql.transaction() as cursor:
            cursor.execute(
                "INSERT INTO {hub_leader_leases} (kind, token, holder, since) VALUES (?, 1, ?, ?) "
                "ON CONFLICT (kind) DO UPDATE SET token = {hub_leader_leases}.token + 1, holder = excluded.holder, "
                "since = excluded.since",
                TABLES,
                [kind, holder, clock.now().isoformat()],
            )
            return self._token(cursor, kind, lock=False)

    def current(self, kind: str) -> int:
        rows = self.sql.query("SELECT token FROM {hub_leader_leases} WHERE kind = ?", TABLES, [kind])
        return int(rows[0][0]) if rows else 0

    def check(self, cursor: Cursor, kind: str, token: int) -> None:
        """Raises :class:`Fenced` (rolling the caller's transaction back) unless ``token`` still leads."""
        if self._token(cursor, kind, lock=self.sql.postgres) != token:
            raise Fenced(f"the {kind} lease moved on from token {token}")

    def holders(self) -> list[tuple[str, int, str, str]]:
        return [
            (r[0], int(r[1]), r[2], r[3])
            for r in self.sql.query("SELECT kind, token, holder, since FROM {hub_leader_leases} ORDER BY kind", TABLES)
        ]

    @staticmethod
    def _token(cursor: Cursor, kind: str, lock: bool) -> int:
        cursor.execute(
            "SELECT token FROM {hub_leader_leases} WHERE kind = ?" + (" FOR SHARE" if lock else ""), TABLES, [kind]
        )
        row: Any = cursor.cursor.fetchone()
        if row is None:
            return 0
        return int(row[0] if not isinstance(row, dict) else row["token"])
