"""Counts the statements and commits a piece of work asks of the store, by the store's own tracing.

SQLite reports each statement it runs to a connection's trace callback; PostgreSQL's
client library writes the protocol to a trace file, where the server's CommandComplete
marks each statement done. Used by the benchmarks to report the work per submission and
by a test that pins it, so that a regression fails a count, never a timing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.postgres import PostgresDatastore


@dataclass
class Statements:
    texts: list[str] = field(default_factory=list)  # SQLite: each statement; PostgreSQL: each command's tag

    @property
    def count(self) -> int:
        return len(self.texts)

    @property
    def commits(self) -> int:
        return sum(1 for text in self.texts if text.strip().upper().startswith("COMMIT"))


@contextmanager
def counted(datastore: Any) -> Iterator[Statements]:
    """Every statement run on the datastore's connections within the block."""
    statements = Statements()
    trace = _postgres if isinstance(datastore, PostgresDatastore) else _sqlite
    original = datastore.get_connection
    with trace(statements) as watch:

        @contextmanager
        def traced(*args: Any, **kwargs: Any) -> Iterator[Any]:
            with original(*args, **kwargs) as connection:
                with watch(connection):
                    yield connection

        datastore.get_connection = traced
        try:
            yield statements
        finally:
            datastore.get_connection = original


@contextmanager
def _sqlite(statements: Statements) -> Iterator[Callable[[Any], Any]]:
    @contextmanager
    def watch(connection: Any) -> Iterator[None]:
        connection._sqlite_conn.set_trace_callback(statements.texts.append)
        try:
            yield
        finally:
            connection._sqlite_conn.set_trace_callback(None)

    yield watch


@contextmanager
def _postgres(statements: Statements) -> Iterator[Callable[[Any], Any]]:
    descriptor, path = tempfile.mkstemp(prefix="hub-trace-")

    @contextmanager
    def watch(connection: Any) -> Iterator[None]:
        connection.pgconn.trace(descriptor)
        try:
            yield
        finally:
            connection.pgconn.untrace()

    try:
        yield watch
    finally:
        os.close(descriptor)
        with open(path, encoding="utf-8", errors="replace") as trace:
            for line in trace:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 5 and parts[1] == "B" and parts[3] == "CommandComplete":
                    statements.texts.append(parts[4].strip().strip('"'))
        os.unlink(path)
