"""The projection compared with a rebuild from scratch, done the way an operator rebuilds it
(deploy/OPERATOR.md, "What to back up"): drop every derived table and let ``hub project`` build them
again from the log.

Rows are compared whole, except where they cannot be: a sealed column is different ciphertext at every
write, so the sealed tables the hub reads back (the views, the inbox) are also compared opened, through
the hub's own readers; and the ``position`` of a view or of a change says at the end of which batch it was
written, which depends on how the log happened to be cut into batches, not on what the log holds.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any
from uuid import UUID

import psycopg

from hub.bootstrap import Hub
from hub.projections.view_store import ViewStore
from tests.faults.processes import HubProcesses
from tests.faults.store import own_session
from tests.kafka_support import wait_for

# The record, the chain that seals it, the refused requests (which the log does not hold) and the schema's
# version (0045): every other table of the schema is derived from the log.
RECORD = frozenset({
    "hub_events", "hub_child_keys", "hub_subjects", "hub_chain", "hub_checkpoints", "hub_refused_requests",
    "hub_schema_versions",
})
# Who leads each kind of worker (docs/decisions/0031), and which deliveries are still to be tried when
# (0036: leases and times of attempts): the deployment's working state, not what the log derives.
COORDINATION = frozenset({"hub_leader_leases", "hub_delivery_queue", "hub_delivery_tracking"})
BATCH_POSITIONS = {"hub_views": "position", "hub_view_changes": "position"}
# A pair of rules and roles is kept once no row names it any more (docs/decisions/0066), and which pairs the rows
# named on the way depends on where the log was cut into batches: the pairs the rows name are what it derives.
NAMED_BY_ROWS = {"hub_view_grants": ' WHERE digest IN (SELECT grants FROM "{schema}".hub_views)'}
SEALED = "hv1:"
PAGE = 1_000

Snapshot = dict[str, list[str]]


def derived_tables(schema: str) -> list[str]:
    with own_session() as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY table_name", [schema]
        ).fetchall()
    return [name for (name,) in rows if name not in RECORD | COORDINATION]


def drop_derived(schema: str) -> None:
    tables = derived_tables(schema)
    with own_session() as conn:
        for table in tables:
            conn.execute(f'DROP TABLE "{schema}"."{table}"')


def _row(columns: list[str], values: tuple[Any, ...], left_out: str | None) -> str:
    kept = {
        c: "<sealed>" if isinstance(v, str) and v.startswith(SEALED) else str(v)
        for c, v in zip(columns, values, strict=True)
        if c != left_out
    }
    return json.dumps(kept, sort_keys=True)


def _stored(schema: str, left_out: frozenset[str]) -> Snapshot:
    tables: Snapshot = {}
    with own_session() as conn:
        for table in derived_tables(schema):
            if table in left_out:
                continue
            named = NAMED_BY_ROWS.get(table, "").format(schema=schema)
            cursor = conn.execute(f'SELECT * FROM "{schema}"."{table}"{named}')
            columns = [d.name for d in cursor.description or ()]
            rows = [_row(columns, r, BATCH_POSITIONS.get(table)) for r in cursor.fetchall()]
            # The change log notes a child once per batch that rewrote it: which children, is what counts.
            tables[table] = sorted(set(rows) if table in BATCH_POSITIONS else rows)
    return tables


def _distinct(schema: str, table: str, column: str) -> list[str]:
    with own_session() as conn:
        return [v for (v,) in conn.execute(f'SELECT DISTINCT {column} FROM "{schema}"."{table}" ORDER BY 1').fetchall()]


def _opened(hub: Hub, schema: str) -> Snapshot:
    views = [
        json.dumps(asdict(row), sort_keys=True)
        for child in _distinct(schema, "hub_views", "child_id")
        for row in hub.views.store.rows_of_child(UUID(child))
    ]
    inbox = []
    for agency in _distinct(schema, "hub_inbox", "agency"):
        cursor = None
        while True:
            page = hub.views.inbox.page(agency, "all", [], "due_at", False, PAGE, cursor)
            inbox += [json.dumps(asdict(item), sort_keys=True) for item in page.items]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
    return {"hub_views opened": sorted(views), "hub_inbox opened": sorted(inbox)}


def snapshot(hub: Hub, schema: str, left_out: frozenset[str] = frozenset()) -> Snapshot:
    """Every derived table's rows but ``left_out``'s, and the sealed ones opened."""
    return {**_stored(schema, left_out), **_opened(hub, schema)}


def differences(built: Snapshot, rebuilt: Snapshot) -> dict[str, dict[str, list[str]]]:
    """Per table, the rows only one of the two holds (a few of each, to read in a failure)."""
    found = {}
    for table in sorted(set(built) | set(rebuilt)):
        before, after = set(built.get(table, [])), set(rebuilt.get(table, []))
        if before != after or len(built.get(table, [])) != len(rebuilt.get(table, [])):
            found[table] = {"only built live": sorted(before - after)[:5], "only rebuilt": sorted(after - before)[:5]}
    return found


def projected_to_the_end(hub: Hub, schema: str) -> bool:
    """The views are built up to the last event of the log (False while their tables do not exist)."""
    with own_session() as conn:
        try:
            row = conn.execute(
                f'SELECT position FROM "{schema}".hub_view_tracking WHERE name = %s', [ViewStore.NAME]
            ).fetchone()
        except psycopg.errors.UndefinedTable:
            return False
    return row is not None and row[0] == hub.store.recorder.max_notification_id()


def compared_with_a_rebuild(
    hub: Hub, schema: str, rebuild: Callable[[], None], left_out: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], float]:
    """Snapshots the views as they are, drops every derived table, lets ``rebuild`` build them again from
    the log, and returns the differences (but in ``left_out``), with how long the rebuild took."""
    built = snapshot(hub, schema, left_out)
    assert built["hub_views opened"] and built["hub_inbox opened"]  # there is something to compare
    started = time.monotonic()
    drop_derived(schema)
    rebuild()
    return differences(built, snapshot(hub, schema, left_out)), time.monotonic() - started


def project_to_the_end(hub: Hub, schema: str, processes: HubProcesses, timeout: float) -> None:
    """Runs ``hub project`` until the views reflect the whole log, then stops it."""
    processes.start(["project"])
    wait_for(lambda: projected_to_the_end(hub, schema), timeout, "hub project to reach the end of the log")
    assert processes["project"].stop()
