"""The inbox table: written in the views' batch transaction, queried page by page with a cursor."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from hub.crypto.row_seal import RowSealer
from hub.inbox.item import InboxItem
from hub.projections.sql import Cursor, Sql

TABLES = ("hub_inbox",)
_COLUMNS = (
    "agency, item_type, item_id, child_id, child_name, state, social_worker, awaiting, "
    "deadline_id, deadline_title, deadline_rule, due_at, updated_at, due_soon_at, risk_level, risk_rank"
)
# Derived from the log: rebuilt beside the live tables, not migrated (hub/projections/rebuild.py), so the
# statements name their indexes by placeholder too.
INDEXES = ("hub_inbox_due", "hub_inbox_updated", "hub_inbox_child", "hub_inbox_type_due", "hub_inbox_worker_due",
           "hub_inbox_urgency", "hub_inbox_risk")
# Columns added after the table was first shipped: a table made by an older hub gains them in place
# (due_soon_at: decision 0048; the risk level: decision 0042).
_ADDED = {"due_soon_at": "TEXT", "risk_level": "TEXT", "risk_rank": "TEXT NOT NULL DEFAULT '0'"}
CREATE = [
    """CREATE TABLE IF NOT EXISTS {hub_inbox} (
        agency TEXT NOT NULL, item_type TEXT NOT NULL, item_id TEXT NOT NULL, child_id TEXT NOT NULL,
        child_name TEXT, state TEXT NOT NULL, social_worker TEXT, awaiting TEXT, deadline_id TEXT,
        deadline_title TEXT, deadline_rule TEXT, due_at TEXT NOT NULL, updated_at TEXT NOT NULL, due_soon_at TEXT,
        risk_level TEXT, risk_rank TEXT NOT NULL DEFAULT '0',
        PRIMARY KEY (agency, item_type, item_id))""",
    "CREATE INDEX IF NOT EXISTS {hub_inbox_due} ON {hub_inbox} (agency, due_at, item_id)",
    "CREATE INDEX IF NOT EXISTS {hub_inbox_updated} ON {hub_inbox} (agency, updated_at, item_id)",
    "CREATE INDEX IF NOT EXISTS {hub_inbox_child} ON {hub_inbox} (child_id)",
    # the queues that filter before they sort: new referrals, all cases, a social worker's cases
    "CREATE INDEX IF NOT EXISTS {hub_inbox_type_due} ON {hub_inbox} (agency, item_type, due_at, item_id)",
    "CREATE INDEX IF NOT EXISTS {hub_inbox_worker_due} ON {hub_inbox} (agency, social_worker, due_at, item_id)",
    "CREATE INDEX IF NOT EXISTS {hub_inbox_urgency} ON {hub_inbox} (agency, due_soon_at, item_id)",  # sort=urgency
    "CREATE INDEX IF NOT EXISTS {hub_inbox_risk} ON {hub_inbox} (agency, risk_rank, item_id)",  # sort=risk
]

# Queues of the inbox (Primero's tasks, MASH's triage): a SQL condition each, on one agency's items.
QUEUES: dict[str, str] = {
    "all": "1 = 1",
    "new": "item_type = 'referral'",
    "mine": "item_type = 'case' AND social_worker = ?",
    # a supervisor's team's cases (docs/decisions/0042): {members} is one placeholder per social worker
    "team": "item_type = 'case' AND social_worker IN ({members})",
    "cases": "item_type = 'case'",
    "due_soon": "due_soon_at <= ? AND due_at >= ?",  # by the clock's own span (hub/deadlines/clock.py)
    "overdue": "due_at < ?",
    "awaiting": "awaiting IS NOT NULL",
    "notices": "item_type = 'notice'",  # notices addressed to the body, to acknowledge and answer
    "escalated": "item_type = 'escalation'",  # another body's missed deadline the body is told of
    "undelivered": "item_type = 'undelivered'",  # a notice the body sent, or manages, that reached nobody
}
# "urgency": by the moment each clock turned (or turns) due soon, so that every item due soon or overdue comes
# before every one still running, each ranked by when it began to need attention (docs/decisions/0048)
SORTS = {"due_at": "due_at", "updated_at": "updated_at", "urgency": "due_soon_at", "risk": "risk_rank"}
RISK_LEVELS = ("low", "medium", "high")


@dataclass(frozen=True)
class Page:
    items: list[InboxItem]
    next_cursor: str | None


class InboxStore:
    def __init__(self, sql: Sql, sealer: RowSealer) -> None:
        self.sql = sql
        self.sealer = sealer
        sql.create(CREATE[:1], TABLES, INDEXES)
        added = {column for column, definition in _ADDED.items() if sql.add_column("hub_inbox", column, definition)}
        if "due_soon_at" in added:
            # Rows of a hub before 0048 turn due soon at their due time until their child's next event rewrites
            # them, or `hub views rebuild` (0046) builds the table again.
            with sql.transaction() as cursor:
                cursor.execute("UPDATE {hub_inbox} SET due_soon_at = due_at", TABLES)
        sql.create(CREATE[1:], TABLES, INDEXES)

    def replacing(self, children: Iterable[UUID], items: list[InboxItem]) -> Callable[[Cursor], None]:
        """A write to run in the views' transaction: these children's items, and no others, change."""
        child_ids = [str(c) for c in children]
        rows = [
            [i.agency, i.item_type, i.item_id, i.child_id, self._seal(i), i.state, i.social_worker, i.awaiting,
             i.deadline_id, i.deadline_title, i.deadline_rule, i.due_at, i.updated_at, i.due_soon_at, i.risk_level,
             i.risk_rank]
            for i in items
        ]

        def write(cursor: Cursor) -> None:
            cursor.delete_children("hub_inbox", child_ids)
            cursor.insert("hub_inbox", rows, _COLUMNS)

        return write

    def page(
        self, agency: str, queue: str, params: list[Any], sort: str, descending: bool, limit: int, cursor: str | None,
        risk: str | None = None,
    ) -> Page:
        """``risk``: only the items of that risk level."""
        column = SORTS[sort]
        condition = QUEUES[queue].replace("{members}", ", ".join("?" * len(params)) or "NULL")
        where = f"agency = ? AND ({condition})"
        values: list[Any] = [agency, *params]
        if risk is not None:
            where += " AND risk_level = ?"
            values.append(risk)
        if cursor is not None:
            after_value, after_id = _position(cursor)
            comparison = "<" if descending else ">"
            where += f" AND ({column} {comparison} ? OR ({column} = ? AND item_id {comparison} ?))"
            values += [after_value, after_value, after_id]
        direction = "DESC" if descending else "ASC"
        rows = self.sql.query(
            f"SELECT {_COLUMNS} FROM {{hub_inbox}} WHERE {where} ORDER BY {column} {direction}, item_id {direction} "
            "LIMIT ?",
            TABLES,
            [*values, limit + 1],
        )
        items = [self._item(r) for r in rows[:limit]]
        more = len(rows) > limit
        last = items[-1] if items and more else None
        next_cursor = (
            base64.urlsafe_b64encode(json.dumps([getattr(last, column), last.item_id]).encode()).decode()
            if last
            else None
        )
        return Page(items, next_cursor)

    def children_due_before(self, moment: str) -> list[UUID]:
        """Children with a clock already due: the only ones a pass of escalation need look at."""
        rows = self.sql.query("SELECT DISTINCT child_id FROM {hub_inbox} WHERE due_at < ?", TABLES, [moment])
        return [UUID(r[0]) for r in rows]

    def overdue_notices(self, moment: str) -> int:
        """Notices still open past their deadline, in every agency's inbox (a metric, docs/decisions/0032)."""
        rows = self.sql.query(
            "SELECT COUNT(*) FROM {hub_inbox} WHERE item_type = 'notice' AND due_at < ?", TABLES, [moment]
        )
        return int(rows[0][0])

    def _seal(self, item: InboxItem) -> str | None:
        if item.child_name is None:
            return None
        return self.sealer.seal(UUID(item.child_id), f"inbox\x1f{item.agency}\x1f{item.item_id}", item.child_name)

    def _item(self, r: tuple[Any, ...]) -> InboxItem:
        name = self.sealer.open(UUID(r[3]), f"inbox\x1f{r[0]}\x1f{r[2]}", r[4]) if r[4] else None
        state, worker, awaiting, deadline_id, title, rule, due_at, updated_at = r[5:13]
        return InboxItem(r[0], r[1], r[2], r[3], name, state, worker, awaiting, deadline_id, title, rule, due_at,
                         updated_at, due_soon_at=r[13], risk_level=r[14])


def _position(cursor: str) -> tuple[str, str]:
    """The sort value and item id a cursor of ``page`` names; anything else is a ValueError.

    A cursor comes back from the caller, so it is checked before it reaches SQL: a number, an object
    or a NUL in its place is a database error, not an empty page.
    """
    position = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    if not isinstance(position, list) or len(position) != 2:
        raise ValueError("not a cursor of this inbox")
    if not all(isinstance(part, str) and part.isprintable() for part in position):
        raise ValueError("not a cursor of this inbox")
    return position[0], position[1]
