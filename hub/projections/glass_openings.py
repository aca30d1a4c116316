"""The table of break-the-glass openings: who opened which record, when, until when.

Written by the views' runner in the batch that holds the opening's event, so it
is exactly as complete as the read log beside it. The reason is not copied
here: it stays in the event, sealed under the child's key (docs/decisions/0008),
and the access report reads it from there, so erasing the child erases it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hub.aggregates.glass_break import GlassBreak
from hub.projections.sql import Cursor, Sql

TABLES = ("hub_glass_openings",)

# Derived from the log: rebuilt beside the live tables, not migrated (hub/projections/rebuild.py), so the
# statements name their indexes by placeholder too.
INDEXES = ("hub_glass_openings_child", "hub_glass_openings_user")
CREATE = [
    """CREATE TABLE IF NOT EXISTS {hub_glass_openings} (
        position BIGINT PRIMARY KEY, opening_id TEXT NOT NULL, child_id TEXT NOT NULL, at TEXT NOT NULL,
        agency TEXT NOT NULL, role TEXT NOT NULL, user_name TEXT NOT NULL, record_type TEXT NOT NULL,
        record_id TEXT NOT NULL, until TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS {hub_glass_openings_child} ON {hub_glass_openings} (child_id, position)",
    "CREATE INDEX IF NOT EXISTS {hub_glass_openings_user} ON {hub_glass_openings} (agency, user_name, position)",
]
_COLUMNS = "position, opening_id, child_id, at, agency, role, user_name, record_type, record_id, until"


@dataclass(frozen=True)
class OpeningRow:
    position: int
    opening_id: str
    child_id: str
    at: str
    agency: str
    role: str
    user: str
    record_type: str
    record_id: str
    until: str


def opening_row(position: int, event: Any) -> OpeningRow | None:
    """The row for an opening's event; None for any other event."""
    if not isinstance(event, GlassBreak.Opened):
        return None
    actor = event.actor
    return OpeningRow(
        position, str(event.originator_id), str(event.child_id), event.timestamp.isoformat(), actor.agency, actor.role,
        actor.user, event.record_type, str(event.record_id), event.until.isoformat(),
    )


class GlassOpenings:
    def __init__(self, sql: Sql) -> None:
        self.sql = sql
        sql.create(CREATE, TABLES, INDEXES)

    def adding(self, rows: list[OpeningRow]) -> Callable[[Cursor], None]:
        """The write of a batch's openings, to commit with the views and their position."""

        def write(cursor: Cursor) -> None:
            cursor.executemany(
                f"INSERT INTO {{hub_glass_openings}} ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                TABLES,
                [[r.position, r.opening_id, r.child_id, r.at, r.agency, r.role, r.user, r.record_type, r.record_id,
                  r.until] for r in rows],
            )

        return write

    def select(self, where: str, params: list[Any]) -> list[OpeningRow]:
        rows = self.sql.query(
            f"SELECT {_COLUMNS} FROM {{hub_glass_openings}} WHERE {where} ORDER BY position", TABLES, params
        )
        return [OpeningRow(int(r[0]), *r[1:]) for r in rows]
