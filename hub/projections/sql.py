"""The two SQL dialects the hub runs on, over the application's own datastore connections."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteCursor, SQLiteTransaction


class Sql:
    """Runs statements written with ``?`` placeholders and ``{table}`` names on SQLite or PostgreSQL."""

    def __init__(self, recorder: ApplicationRecorder) -> None:
        self.datastore: Any = recorder.datastore  # type: ignore[attr-defined]
        self.postgres = isinstance(self.datastore, PostgresDatastore)
        self.schema = getattr(self.datastore, "schema", None)

    def table(self, name: str) -> str:
        return f'"{self.schema}"."{name}"' if self.postgres else name

    def _sql(self, statement: str, tables: Sequence[str]) -> str:
        statement = statement.format(**{t: self.table(t) for t in tables})
        return statement.replace("?", "%s") if self.postgres else statement

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        if self.postgres:
            with self.datastore.transaction(commit=True) as cursor:
                yield Cursor(self, cursor)
            return
        # SQLite: the write lock is taken at BEGIN. A deferred transaction that reads and then writes fails at
        # once ("database is locked", the busy timeout cannot help it) when another process wrote in between,
        # as a `hub backup` sealing the head beside a serving hub did.
        with self.datastore.get_connection(commit=True) as connection, _Immediate(connection, commit=True) as cursor:
            with cursor:
                yield Cursor(self, cursor)

    def create(self, statements: Sequence[str], tables: Sequence[str]) -> None:
        """Runs a table's CREATE ... IF NOT EXISTS statements in one transaction."""
        with self.transaction() as cursor:
            for statement in statements:
                cursor.execute(statement, tables)

    def add_columns(self, table: str, columns: dict[str, str]) -> None:
        """Columns a table gained after stores were made with it, added where missing (name -> SQL type)."""
        if self.postgres:
            self.create([f"ALTER TABLE {{{table}}} ADD COLUMN IF NOT EXISTS {name} {kind}"
                         for name, kind in columns.items()], [table])
            return
        have = {row[1] for row in self.query(f"PRAGMA table_info({table})", [])}
        self.create([f"ALTER TABLE {{{table}}} ADD COLUMN {name} {kind}"
                     for name, kind in columns.items() if name not in have], [table])

    def query(self, statement: str, tables: Sequence[str], params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._sql(statement, tables), tuple(params))
            return _rows(cursor.fetchall())


class _Immediate(SQLiteTransaction):
    """The library's SQLite transaction (its commit, rollback and errors), begun IMMEDIATE."""

    def __enter__(self) -> SQLiteCursor:
        cursor = self.connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        return cursor


class Cursor:
    def __init__(self, sql: Sql, cursor: Any) -> None:
        self.sql = sql
        self.cursor = cursor

    def execute(self, statement: str, tables: Sequence[str], params: Sequence[Any] = ()) -> None:
        self.cursor.execute(self.sql._sql(statement, tables), tuple(params))

    def executemany(self, statement: str, tables: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.cursor.executemany(self.sql._sql(statement, tables), [tuple(r) for r in rows])

    def fetchall(self) -> list[tuple[Any, ...]]:
        """The rows of the last statement: a SELECT's, or what an UPDATE ... RETURNING changed."""
        return _rows(self.cursor.fetchall())


def _rows(rows: Sequence[Any]) -> list[tuple[Any, ...]]:
    return [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in rows]
