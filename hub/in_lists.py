"""Many ids or rows sent to the database a few hundred a statement: an ``IN (...)`` list, or the rows of one
multi-row INSERT, each kept well under the limit of either store on the parameters of one statement (SQLite's
32,766; PostgreSQL's 65,535)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

IN_LIST = 500
T = TypeVar("T")


def in_lists(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """The items, IN_LIST at a time, in their order."""
    for start in range(0, len(items), IN_LIST):
        yield items[start:start + IN_LIST]
