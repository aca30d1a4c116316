"""Counts the statements the hub sends to its store, on either store, as the drivers are asked to run them.

SQLite: eventsourcing's cursor and connection (every statement, BEGIN included, and every COMMIT and
ROLLBACK). PostgreSQL: psycopg's cursors, and the transaction commands psycopg sends itself
(BEGIN, COMMIT, ROLLBACK: its ``_exec_command``, which is private; a psycopg upgrade that renames it
fails this helper loudly rather than counting nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from eventsourcing.sqlite import SQLiteConnection, SQLiteCursor
from psycopg.sql import Composable

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK")


def _text(statement: Any) -> str:
    if isinstance(statement, bytes):
        return statement.decode()
    if isinstance(statement, Composable):
        return statement.as_string()
    return str(statement)


@contextmanager
def statements() -> Iterator[list[str]]:
    """The statements run while the block runs, in order."""
    seen: list[str] = []
    with pytest.MonkeyPatch.context() as patch:

        def counting(cls: type, name: str, text: Callable[..., str]) -> None:
            original = getattr(cls, name)  # AttributeError here: the driver changed, the count would be wrong

            def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
                seen.append(text(*args))
                return original(self, *args, **kwargs)

            patch.setattr(cls, name, counted)

        counting(SQLiteCursor, "execute", lambda statement, *_: _text(statement))
        counting(SQLiteCursor, "executemany", lambda statement, *_: _text(statement))
        counting(SQLiteConnection, "commit", lambda: "COMMIT")
        counting(SQLiteConnection, "rollback", lambda: "ROLLBACK")
        counting(psycopg.Cursor, "execute", lambda statement, *_, **__: _text(statement))
        counting(psycopg.Cursor, "executemany", lambda statement, *_, **__: _text(statement))
        counting(psycopg.Connection, "_exec_command", lambda command, *_, **__: _text(command))
        yield seen


def is_transaction_control(statement: str) -> bool:
    return statement.strip().upper().startswith(TRANSACTION_CONTROL)
