"""``hub views rebuild``: the derived tables built again from the log beside the live ones, then switched in
(docs/decisions/0046).

The new tables carry the live names with ``_next`` appended (indexes too) and are built by a projection of
their own from the first event, reporting its progress, while the live projector keeps the live tables
current and every read is answered from them as before (with ``Hub-Views-Behind`` when asked to wait).
Once the new tables have reached the live ones, one transaction drops the live tables and renames the new
ones into their place. The live projector's next batch then finds the views at another position than its
fold's and folds again from them (hub/projections/agency_views.py): nothing is written over a gap.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from hub.inbox import store as inbox
from hub.matching import index as child_index
from hub.projections import glass_openings, view_store
from hub.projections.agency_views import AgencyViews
from hub.projections.sql import Cursor, Sql

SUFFIX = "_next"
TASK = "views rebuild"
_MODULES = (view_store, inbox, child_index, glass_openings)
TABLES = tuple(t for m in _MODULES for t in m.TABLES)
INDEXES = tuple(i for m in _MODULES for i in m.INDEXES)
NEW = {name: name + SUFFIX for name in (*TABLES, *INDEXES)}


@dataclass(frozen=True)
class Rebuilt:
    position: int  # where the new views stood when they were switched in
    seconds: float
    tries: int  # switches tried: one more each time the live views had got ahead meanwhile


def rebuild_views(app: Any) -> Rebuilt:
    """Builds the views of ``app`` (a HubApplication) from the log beside the live ones and switches them in."""
    started = time.monotonic()
    live, new = Sql(app.recorder), Sql(app.recorder, NEW)
    for module in _MODULES:  # a store no projector has met yet has no live tables to switch out
        live.create(module.CREATE, module.TABLES, module.INDEXES)
    _drop(new)  # what an interrupted rebuild left: this one starts from the first event
    views = AgencyViews(app, inline=False, sql=new, task=TASK)
    tries = 0
    while True:
        reached = views.catch_up()
        tries += 1
        if _switch(live, new):
            return Rebuilt(reached, time.monotonic() - started, tries)


def _position(cursor: Cursor) -> int:
    cursor.execute("SELECT position FROM {hub_view_tracking} WHERE name = ?", ["hub_view_tracking"],
                   [view_store.ViewStore.NAME])
    rows = cursor.fetchall()
    return int(rows[0][0]) if rows else 0


def _switch(live: Sql, new: Sql) -> bool:
    """In one transaction: the new tables in place of the live ones, unless the live ones got further meanwhile."""
    with live.transaction() as cursor:
        if live.postgres:
            # Taken in the order a projector's batch takes them (its position first), so that the two wait
            # for each other instead of deadlocking; reads wait only for this transaction, not the rebuild.
            locked = ", ".join(live.table(t) for t in sorted(TABLES, key=lambda t: t != "hub_view_tracking"))
            cursor.cursor.execute(f"LOCK TABLE {locked} IN ACCESS EXCLUSIVE MODE")
        if _position(Cursor(new, cursor.cursor)) < _position(cursor):
            return False  # the log moved on: catch up again and try once more
        for table in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {{{table}}}", [table])
            cursor.cursor.execute(f"ALTER TABLE {new.table(table)} RENAME TO {table}")
        if live.postgres:
            # An index keeps its name through its table's rename, a primary key's too (the table's name + _pkey).
            renamed = {**{NEW[i]: i for i in INDEXES}, **{f"{NEW[t]}_pkey": f"{t}_pkey" for t in TABLES}}
            for old, name in renamed.items():
                cursor.cursor.execute(f'ALTER INDEX "{live.schema}"."{old}" RENAME TO "{name}"')
        else:
            # SQLite cannot rename an index: the new tables' are dropped and made again under the live names.
            for index in INDEXES:
                cursor.cursor.execute(f"DROP INDEX IF EXISTS {NEW[index]}")
            for module in _MODULES:
                cursor.create(module.CREATE, module.TABLES, module.INDEXES)
    return True


def _drop(new: Sql) -> None:
    with new.transaction() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {{{table}}}", [table])
