"""The table of the managers' pages' sessions, beside the log (docs/decisions/0027).

A row is one signed-in browser: a hash of its session id (the cookie's value
is never stored), the id of the token it signed in with (never the token), when
it began and when it was last used. Times are UTC ISO 8601 with microseconds,
fixed width, so they compare as text on either store.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from hub.projections.sql import Sql

TABLE = "hub_web_sessions"

_LIVE = "id = ? AND last_seen > ? AND created_at > ?"


def _moment(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


class SessionTable:
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def add(self, key: str, token_id: UUID, at: datetime) -> None:
        with self.sql.transaction() as cursor:
            cursor.execute(
                "INSERT INTO {hub_web_sessions} (id, token_id, created_at, last_seen) VALUES (?, ?, ?, ?)",
                [TABLE], [key, str(token_id), _moment(at), _moment(at)],
            )

    def touch(self, key: str, now: datetime, idle_since: datetime, begun_since: datetime) -> UUID | None:
        """The token of the live session ``key``, which is now used again; None if there is none."""
        with self.sql.transaction() as cursor:
            cursor.execute(
                f"UPDATE {{hub_web_sessions}} SET last_seen = ? WHERE {_LIVE} RETURNING token_id",
                [TABLE], [_moment(now), key, _moment(idle_since), _moment(begun_since)],
            )
            rows = cursor.fetchall()
        return UUID(rows[0][0]) if rows else None

    def peek(self, key: str, idle_since: datetime, begun_since: datetime) -> UUID | None:
        """The token of the live session ``key``, without counting this as a use."""
        rows = self.sql.query(
            f"SELECT token_id FROM {{hub_web_sessions}} WHERE {_LIVE}", [TABLE],
            [key, _moment(idle_since), _moment(begun_since)],
        )
        return UUID(rows[0][0]) if rows else None

    def remove(self, key: str) -> None:
        with self.sql.transaction() as cursor:
            cursor.execute("DELETE FROM {hub_web_sessions} WHERE id = ?", [TABLE], [key])

    def purge(self, idle_since: datetime, begun_since: datetime) -> None:
        """Forgets the sessions that ended by themselves: idle too long, or begun too long ago."""
        with self.sql.transaction() as cursor:
            cursor.execute(
                "DELETE FROM {hub_web_sessions} WHERE last_seen <= ? OR created_at <= ?",
                [TABLE], [_moment(idle_since), _moment(begun_since)],
            )
