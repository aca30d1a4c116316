"""The bulk writes of the derived tables (hub/projections/sql.py) store what one statement a row stored, on both
stores: PostgreSQL's COPY, its statements of 500 rows, the deletes by lists of children."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hub.bootstrap import Hub
from hub.in_lists import IN_LIST
from hub.projections.sql import Sql

TABLES = ("scratch_rows",)
CREATE = ["CREATE TABLE IF NOT EXISTS {scratch_rows} (child_id TEXT NOT NULL, n BIGINT NOT NULL, note TEXT, "
          "PRIMARY KEY (child_id, n))"]
AWKWARD = ["tab\there", "line\nbreak", "back\\slash", "quote ' \"", "Қайрат Ерланұлы", "\\N", ""]


@pytest.fixture
def sql(app: Hub) -> Iterator[Sql]:
    sql = Sql(app.store.recorder)
    sql.create(CREATE, TABLES)
    yield sql


def _stored(sql: Sql) -> list[tuple[object, ...]]:
    return sorted(sql.query("SELECT child_id, n, note FROM {scratch_rows}", TABLES), key=lambda r: (r[0], r[1]))


def test_rows_inserted_whole_come_back_as_written(sql: Sql) -> None:
    rows = [[f"c{n % 3}", n, AWKWARD[n % len(AWKWARD)] if n % 5 else None] for n in range(IN_LIST + 20)]
    with sql.transaction() as cursor:
        cursor.insert("scratch_rows", rows)
    assert _stored(sql) == sorted((tuple(r) for r in rows), key=lambda r: (r[0], r[1]))


def test_a_row_already_there_fails_a_whole_insert_and_is_left_by_insert_missing(sql: Sql) -> None:
    with sql.transaction() as cursor:
        cursor.insert("scratch_rows", [["a", 1, "first"]])
    with pytest.raises(Exception), sql.transaction() as cursor:  # noqa: B017, PT011 - each store its own IntegrityError
        cursor.insert("scratch_rows", [["b", 1, None], ["a", 1, "again"]])
    assert _stored(sql) == [("a", 1, "first")]
    many = [["m", n, None] for n in range(2 * IN_LIST + 3)]
    with sql.transaction() as cursor:
        cursor.insert_missing("scratch_rows", [["a", 1, "again"], ["b", 2, "x"], ["b", 2, "twice"], *many])
    assert _stored(sql)[:3] == [("a", 1, "first"), ("b", 2, "x"), ("m", 0, None)]
    assert len(_stored(sql)) == 2 + len(many)


def test_deleting_children_takes_theirs_and_no_others(sql: Sql) -> None:
    rows = [[f"c{n}", 1, None] for n in range(2 * IN_LIST + 7)]
    with sql.transaction() as cursor:
        cursor.insert("scratch_rows", rows)
        cursor.delete_children("scratch_rows", [f"c{n}" for n in range(1, len(rows))] + ["nobody"])
        cursor.delete_children("scratch_rows", [])
    assert _stored(sql) == [("c0", 1, None)]
