"""The two SQL dialects the hub runs on, over the application's own datastore connections."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteCursor, SQLiteTransaction

from hub.in_lists import in_lists


class Sql:
    """Runs statements written with ``?`` placeholders and ``{table}`` names on SQLite or PostgreSQL."""

    def __init__(self, recorder: ApplicationRecorder, names: Mapping[str, str] | None = None) -> None:
        """``names``: tables and indexes stored under other names than the code's (a rebuild's, beside the live ones)."""
        self.datastore: Any = recorder.datastore  # type: ignore[attr-defined]
        self.postgres = isinstance(self.datastore, PostgresDatastore)
        self.schema = getattr(self.datastore, "schema", None)
        self.names = dict(names or {})

    def table(self, name: str) -> str:
        name = self.names.get(name, name)
        return f'"{self.schema}"."{name}"' if self.postgres else name

    def _sql(self, statement: str, tables: Sequence[str], indexes: Sequence[str] = ()) -> str:
        # An index is named unqualified: PostgreSQL puts it in its table's schema.
        names = {**{t: self.table(t) for t in tables}, **{i: self.names.get(i, i) for i in indexes}}
        statement = statement.format(**names)
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

    def create(self, statements: Sequence[str], tables: Sequence[str], indexes: Sequence[str] = ()) -> None:
        """Runs a table's CREATE ... IF NOT EXISTS statements in one transaction."""
        with self.transaction() as cursor:
            cursor.create(statements, tables, indexes)

    def add_column(self, table: str, column: str, definition: str) -> bool:
        """Adds a column a newer hub gave a table an older one created; True if it was missing."""
        if self.has_column(table, column):
            return False  # as nearly always: no write transaction, no SQLite write lock, for every process's start
        with self.transaction() as cursor:
            if cursor.has_column(table, column):
                return False
            cursor.execute(f"ALTER TABLE {{{table}}} ADD COLUMN {column} {definition}", [table])
            return True

    def has_column(self, table: str, column: str) -> bool:
        with self.datastore.transaction(commit=False) as cursor:
            return Cursor(self, cursor).has_column(table, column)

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

    def create(self, statements: Sequence[str], tables: Sequence[str], indexes: Sequence[str] = ()) -> None:
        for statement in statements:
            self.cursor.execute(self.sql._sql(statement, tables, indexes))

    def executemany(self, statement: str, tables: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.cursor.executemany(self.sql._sql(statement, tables), [tuple(r) for r in rows])

    def insert(self, table: str, rows: Sequence[Sequence[Any]], columns: str | None = None) -> None:
        """Adds rows to ``table`` (all its columns in order, or ``columns``), none of which may be there already.

        PostgreSQL takes them by COPY: the driver's side of a pipelined INSERT a row took 42 ms of the catch-up's
        CPU for the 4,575 view rows of 10^4 events, COPY 20 ms (docs/benchmarks.md). A row already there fails
        the write either way."""
        if not rows:
            return
        name = self.sql.table(table)
        named = f" ({columns})" if columns else ""
        if not self.sql.postgres:
            marks = ", ".join("?" * len(rows[0]))
            self.cursor.executemany(f"INSERT INTO {name}{named} VALUES ({marks})", [tuple(r) for r in rows])
            return
        with self.cursor.copy(f"COPY {name}{named} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def insert_missing(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Adds the rows not already in ``table`` (all its columns in order). On PostgreSQL a statement per 500
        rows, not one per row: the name index's 3,648 rows of 10^4 events took 21 ms of the driver's CPU one by one, 12 ms so."""
        if not rows:
            return
        row = f"({', '.join('?' * len(rows[0]))})"
        if not self.sql.postgres:
            self.executemany(f"INSERT INTO {{{table}}} VALUES {row} ON CONFLICT DO NOTHING", [table], rows)
            return
        for chunk in in_lists(rows):
            values = ", ".join([row] * len(chunk))
            params = [value for r in chunk for value in r]
            self.execute(f"INSERT INTO {{{table}}} VALUES {values} ON CONFLICT DO NOTHING", [table], params)

    def delete_children(self, table: str, child_ids: Sequence[str]) -> None:
        """Deletes the rows of these children (by ``child_id``): a statement per 500, not one per child (on
        PostgreSQL a message each: 5.5 ms of the driver's CPU per table for 915 children, 1.6 ms so)."""
        for chunk in in_lists(child_ids):
            self.execute(f"DELETE FROM {{{table}}} WHERE child_id IN ({', '.join('?' * len(chunk))})", [table], chunk)

    def has_column(self, table: str, column: str) -> bool:
        """Whether ``table`` (by its name in the statements) has ``column``: a table an older hub created may not."""
        name = self.sql.names.get(table, table)
        if self.sql.postgres:
            self.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND column_name = ?",
                [], [self.sql.schema or "public", name, column],
            )
        else:
            self.execute("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", [], [name, column])
        return bool(self.fetchall())

    def fetchall(self) -> list[tuple[Any, ...]]:
        """The rows of the last statement: a SELECT's, or what an UPDATE ... RETURNING changed."""
        return _rows(self.cursor.fetchall())


def _rows(rows: Sequence[Any]) -> list[tuple[Any, ...]]:
    return [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in rows]
