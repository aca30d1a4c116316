"""Tables of the per-agency views, the read log and the dossier membership, with one tracked position.

Everything a batch of events changes is written in one transaction together
with the position of its last event, so a crash neither loses nor repeats a
change: the next run starts after the last committed position.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from hub.crypto.row_seal import RowSealer, Seal
from hub.in_lists import in_lists
from hub.projections import view_grants
from hub.projections.sql import Cursor, Sql
from hub.projections.view_grants import Grants

TABLES = ("hub_views", "hub_view_members", "hub_read_log", "hub_view_tracking", "hub_view_changes", *view_grants.TABLES)

# Derived from the log: rebuilt beside the live tables, not migrated (hub/projections/rebuild.py), so the
# statements name their indexes by placeholder too.
INDEXES = ("hub_views_child", "hub_read_log_child", "hub_read_log_user")
CREATE = [
    """CREATE TABLE IF NOT EXISTS {hub_views} (
        agency TEXT NOT NULL, record_type TEXT NOT NULL, record_id TEXT NOT NULL, child_id TEXT NOT NULL,
        body TEXT NOT NULL, rules TEXT NOT NULL, roles TEXT NOT NULL, policy_version INTEGER NOT NULL,
        valid_until TEXT, position BIGINT NOT NULL, grants TEXT,
        PRIMARY KEY (agency, record_type, record_id))""",
    "CREATE INDEX IF NOT EXISTS {hub_views_child} ON {hub_views} (child_id)",
    view_grants.CREATE,
    """CREATE TABLE IF NOT EXISTS {hub_view_members} (
        child_id TEXT NOT NULL, aggregate_id TEXT NOT NULL, PRIMARY KEY (child_id, aggregate_id))""",
    """CREATE TABLE IF NOT EXISTS {hub_read_log} (
        position BIGINT NOT NULL, child_id TEXT, at TEXT NOT NULL, agency TEXT NOT NULL, role TEXT NOT NULL,
        user_name TEXT NOT NULL, record_type TEXT NOT NULL, record_id TEXT NOT NULL, fields TEXT NOT NULL,
        rules TEXT NOT NULL, outcome TEXT NOT NULL, purpose TEXT NOT NULL, PRIMARY KEY (position, record_id))""",
    "CREATE INDEX IF NOT EXISTS {hub_read_log_child} ON {hub_read_log} (child_id, position)",
    "CREATE INDEX IF NOT EXISTS {hub_read_log_user} ON {hub_read_log} (agency, user_name, position)",
    """CREATE TABLE IF NOT EXISTS {hub_view_tracking} (name TEXT PRIMARY KEY, position BIGINT NOT NULL)""",
    # Which children's views a batch rewrote, at which position: the outbound relay's work list
    # (hub/kafka/relay.py), written with the views so that no change is missed or invented.
    """CREATE TABLE IF NOT EXISTS {hub_view_changes} (
        position BIGINT NOT NULL, child_id TEXT NOT NULL, PRIMARY KEY (position, child_id))""",
]
# A row names its rules and roles by ``grants`` (view_grants.py) and leaves its own two columns empty; a row a hub
# before 0066 wrote holds them, names no grants, and is read as it is until its child's views are written again
# (or rebuilt, 0046). Its readers then never meet a row they cannot read, whichever release wrote it or reads it.
_VIEW_ROW = (
    "SELECT v.agency, v.record_type, v.record_id, v.child_id, v.body, COALESCE(g.rules, v.rules) AS rules,"
    " COALESCE(g.roles, v.roles) AS roles, v.policy_version, v.valid_until"  # named: PostgreSQL's rows are dicts
    " FROM {hub_views} v LEFT JOIN {hub_view_grants} g ON g.digest = v.grants"
)


@dataclass(frozen=True)
class ViewRow:
    agency: str
    record_type: str
    record_id: str
    child_id: str
    body: dict[str, Any]
    rules: dict[str, list[str]]
    roles: dict[str, list[str]]
    policy_version: int
    valid_until: str | None
    personal: bool = True  # False for an erased child's residue: kept in clear, as its key is gone


@dataclass(frozen=True)
class ReadRow:
    position: int
    child_id: str | None
    at: str
    agency: str
    role: str
    user: str
    record_type: str
    record_id: str
    fields: list[str]
    rules: list[str]
    outcome: str
    purpose: str


class ViewStore:
    NAME = "agency_views"

    def __init__(self, sql: Sql, sealer: RowSealer) -> None:
        self.sql = sql
        self.sealer = sealer
        sql.create(CREATE, TABLES, INDEXES)
        sql.add_column("hub_views", "grants", "TEXT")  # a table made before 0066

    def position(self) -> int:
        rows = self.sql.query("SELECT position FROM {hub_view_tracking} WHERE name = ?", TABLES, [self.NAME])
        return int(rows[0][0]) if rows else 0

    def write(
        self,
        after: int,
        position: int,
        children: Iterable[UUID],
        rows: list[ViewRow],
        members: list[tuple[UUID, UUID]],
        reads: list[ReadRow],
        also: Iterable[Callable[[Cursor], None]] = (),
    ) -> bool:
        """Replaces the views of the given children, the batch after ``after`` up to ``position``; False if the
        views are no longer at ``after``: another process wrote, or a rebuild was switched in (0046).

        ``also`` are writes of tables derived in the same batch (the inbox, say): they commit
        with the views and the position, or not at all. Each rewritten child is noted in
        ``hub_view_changes`` at this position, for the outbound relay.
        """
        children = list(children)
        sealing: dict[str, Seal] = {}  # a batch's rows come child by child: each child's cipher made once
        grants = Grants()
        views = [
            [r.agency, r.record_type, r.record_id, r.child_id, self._seal(r, sealing), "", "", r.policy_version,
             r.valid_until, position, grants.name(r.rules, r.roles)]
            for r in rows
        ]
        with self.sql.transaction() as cursor:
            cursor.execute(
                "INSERT INTO {hub_view_tracking} (name, position) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET position = excluded.position "
                "WHERE {hub_view_tracking}.position = ?",
                TABLES,
                [self.NAME, position, after],
            )
            if self.position_in(cursor) != position:
                return False
            cursor.delete_children("hub_views", [str(c) for c in children])
            cursor.insert_missing("hub_view_changes", [[position, str(c)] for c in children])
            grants.write(cursor)
            cursor.insert("hub_views", views)
            cursor.insert_missing("hub_view_members", [[str(c), str(a)] for c, a in members])
            cursor.executemany(
                "INSERT INTO {hub_read_log} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                TABLES,
                [
                    [r.position, r.child_id, r.at, r.agency, r.role, r.user, r.record_type, r.record_id,
                     json.dumps(r.fields), json.dumps(r.rules), r.outcome, r.purpose]
                    for r in reads
                ],
            )
            for write in also:
                write(cursor)
        return True

    def position_in(self, cursor: Any) -> int:
        cursor.execute("SELECT position FROM {hub_view_tracking} WHERE name = ?", TABLES, [self.NAME])
        row = cursor.cursor.fetchone()
        return int(row[0] if not isinstance(row, dict) else row["position"])

    def row(self, agency: str, record_type: str, record_id: UUID) -> ViewRow | None:
        rows = self.sql.query(
            _VIEW_ROW + " WHERE v.agency = ? AND v.record_type = ? AND v.record_id = ?",
            TABLES,
            [agency, record_type, str(record_id)],
        )
        return self._view_row(rows[0]) if rows else None

    def rows_of_child(self, child_id: UUID) -> list[ViewRow]:
        rows = self.sql.query(
            _VIEW_ROW + " WHERE v.child_id = ? ORDER BY v.agency, v.record_type, v.record_id",
            TABLES,
            [str(child_id)],
        )
        return [self._view_row(r) for r in rows]

    def rows_of_agency(self, agency: str, record_type: str, limit: int) -> list[ViewRow]:
        """An agency's newest views of one type (a portal's list of the referrals it sent)."""
        rows = self.sql.query(
            _VIEW_ROW + " WHERE v.agency = ? AND v.record_type = ? ORDER BY v.position DESC, v.record_id LIMIT ?",
            TABLES,
            [agency, record_type, limit],
        )
        return [self._view_row(r) for r in rows]

    def members_of(self, child_id: UUID) -> list[UUID]:
        rows = self.sql.query("SELECT aggregate_id FROM {hub_view_members} WHERE child_id = ?", TABLES, [str(child_id)])
        return [UUID(r[0]) for r in rows]

    def members_of_children(self, child_ids: Iterable[UUID]) -> dict[UUID, list[UUID]]:
        """``members_of`` for many children in a few queries: every child asked has an entry, if only empty."""
        members: dict[UUID, list[UUID]] = {c: [] for c in child_ids}
        asked = [str(c) for c in members]
        for chunk in in_lists(asked):
            rows = self.sql.query(
                f"SELECT child_id, aggregate_id FROM {{hub_view_members}} WHERE child_id IN ({', '.join('?' * len(chunk))})",
                TABLES,
                chunk,
            )
            for child_id, aggregate_id in rows:
                members[UUID(child_id)].append(UUID(aggregate_id))
        return members

    def children(self) -> list[UUID]:
        return [UUID(r[0]) for r in self.sql.query("SELECT DISTINCT child_id FROM {hub_view_members}", TABLES)]

    def reads(self, where: str, params: list[Any]) -> list[ReadRow]:
        rows = self.sql.query(
            "SELECT position, child_id, at, agency, role, user_name, record_type, record_id, fields, rules, outcome, "
            f"purpose FROM {{hub_read_log}} WHERE {where} ORDER BY position",
            TABLES,
            params,
        )
        return [
            ReadRow(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8]), json.loads(r[9]), r[10], r[11])
            for r in rows
        ]


    def _seal(self, row: ViewRow, sealing: dict[str, Seal]) -> str:
        """The row's body, sealed with its child's key by the child's entry in ``sealing`` (added if missing)."""
        if not row.personal:
            return self.sealer.clear(json.dumps(row.body))
        seal = sealing.get(row.child_id)
        if seal is None:
            seal = sealing[row.child_id] = self.sealer.sealing(UUID(row.child_id))
        return seal(_associated(row.agency, row.record_type, row.record_id), json.dumps(row.body))

    def _view_row(self, r: tuple[Any, ...]) -> ViewRow:
        body = self.sealer.open(UUID(r[3]), _associated(r[0], r[1], r[2]), r[4])
        return ViewRow(
            r[0], r[1], r[2], r[3], json.loads(body) if body is not None else {}, json.loads(r[5]), json.loads(r[6]),
            int(r[7]), r[8],
        )


def _associated(agency: str, record_type: str, record_id: str) -> str:
    # Binds a sealed body to its row, so it cannot be copied into another agency's view.
    return f"{agency}\x1f{record_type}\x1f{record_id}"
