"""Applies the steps a store has not had, and records each in ``hub_schema_versions`` with it.

Each step runs in a transaction of its own together with its version row, so a failed step leaves the
store at the version before it. Processes starting together take turns (``hub.store.setting_up`` on
PostgreSQL, SQLite's write lock), and a step is looked for again inside its transaction, so it runs once.
"""

from __future__ import annotations

from collections.abc import Callable

from hub import clock
from hub.migrations.step import MigrationRefused, Step
from hub.migrations.steps import STEPS
from hub.projections.sql import Cursor, Sql

VERSIONS = "hub_schema_versions"
_TABLES = (VERSIONS,)
_CREATE = (
    "CREATE TABLE IF NOT EXISTS {hub_schema_versions} (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)",
)


class Migrations:
    def __init__(self, sql: Sql) -> None:
        self.sql = sql
        self.steps = sorted(STEPS, key=lambda s: s.version)

    def version(self) -> int:
        """The last step the store has had; 0 for a store that never met a migration."""
        self.sql.create(_CREATE, _TABLES)
        rows = self.sql.query("SELECT MAX(version) FROM {hub_schema_versions}", _TABLES)
        return int(rows[0][0] or 0)

    def pending(self) -> list[Step]:
        current = self.version()
        latest = self.steps[-1].version if self.steps else 0
        if current > latest:
            raise MigrationRefused(
                f"the store is at schema version {current}, newer than this release knows ({latest}):"
                " run the release that migrated it, or a newer one"
            )
        return [s for s in self.steps if s.version > current]

    def run(self, allowed: Callable[[Step], bool]) -> list[Step]:
        """Applies the pending steps in order while ``allowed`` lets each; refuses at the first it does not."""
        applied = []
        for step in self.pending():
            if not allowed(step):
                raise MigrationRefused(
                    f"the store needs schema step {step.version} ({step.name}), which this process may not apply"
                    " by itself: stop the hub's older processes and run `hub migrate`"
                )
            step.refuse(self.sql)
            with self.sql.transaction() as cursor:
                if _has(cursor, step.version):
                    continue  # another process applied it meanwhile
                for statement in step.statements(self.sql.postgres):
                    cursor.execute(statement, step.tables)
                cursor.execute(
                    "INSERT INTO {hub_schema_versions} (version, name, applied_at) VALUES (?, ?, ?)",
                    _TABLES, [step.version, step.name, clock.now().isoformat()],
                )
            applied.append(step)
        return applied


def at_start(step: Step) -> bool:
    """What a starting process applies by itself: the steps that only add (docs/decisions/0045)."""
    return step.additive


def _has(cursor: Cursor, version: int) -> bool:
    cursor.execute("SELECT version FROM {hub_schema_versions} WHERE version = ?", _TABLES, [version])
    return bool(cursor.fetchall())
