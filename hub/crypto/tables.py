"""The hub's own tables beside the events, in the same database and through the same pool.

- ``hub_child_keys``: one wrapped data key per child; shredding empties
  ``wrapped_key`` and stamps ``shredded_at``, so the row stays as a tombstone
  that stops a new key from being minted for an erased child;
- ``hub_subjects``: which child each non-child aggregate (referral, case,
  consent) belongs to, written in the transaction that appends its events;
- ``hub_attachment_blobs``: the sealed bytes of files attached to a child's records, when they are
  kept in the database (hub/attachments/database_blobs.py, decision 0047).

The library's datastore gives connections for both SQLite and PostgreSQL;
the statements differ only in parameter style, identifier types and qualification.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.sqlite import SQLiteDatastore
from psycopg.sql import Identifier

from hub.in_lists import in_lists

KEYS = "hub_child_keys"
SUBJECTS = "hub_subjects"
BLOBS = "hub_attachment_blobs"

_SELECT_KEY = "SELECT wrapped_key FROM {keys} WHERE child_id = {p}"
_SELECT_KEYS = "SELECT child_id, wrapped_key FROM {keys} WHERE child_id IN ({marks})"
_INSERT_MINTED = "INSERT INTO {keys} (child_id, wrapped_key, created_at) VALUES ({p}, {p}, {p})"
_INSERT_KEY = (
    "INSERT INTO {keys} (child_id, wrapped_key, created_at) VALUES ({p}, {p}, {p}) ON CONFLICT (child_id) DO NOTHING"
)
_SHRED_KEY = (
    "UPDATE {keys} SET wrapped_key = NULL, shredded_at = {p}"
    " WHERE child_id = {p} AND wrapped_key IS NOT NULL RETURNING child_id"
)
_TOMBSTONE = (
    "INSERT INTO {keys} (child_id, wrapped_key, created_at, shredded_at) VALUES ({p}, NULL, {p}, {p})"
    " ON CONFLICT (child_id) DO NOTHING"
)
_SELECT_SHREDDED = "SELECT child_id FROM {keys} WHERE wrapped_key IS NULL"
_THIS_TRANSACTION = "SELECT pg_current_xact_id()::xid::text AS xid"
# Sessions of this database whose transaction or snapshot began before the shredding committed.
_OLDER_TRANSACTIONS = (
    "SELECT count(*) AS older FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    " AND (age(backend_xmin) >= age(%s::xid) OR age(backend_xid) >= age(%s::xid))"
)
VACUUM_WAIT_S = 10.0
_SELECT_MEMBERS = "SELECT aggregate_id FROM {subjects} WHERE child_id = {p}"
_SELECT_SUBJECT = "SELECT child_id FROM {subjects} WHERE aggregate_id = {p}"
_INSERT_SUBJECT = (
    "INSERT INTO {subjects} (aggregate_id, child_id) VALUES ({p}, {p}) ON CONFLICT (aggregate_id) DO NOTHING"
)


class KeyRow:
    """A row of ``hub_child_keys``: ``wrapped_key`` is None once the key is shredded."""

    def __init__(self, wrapped_key: bytes | None) -> None:
        self.wrapped_key = wrapped_key


class HubTables:
    def __init__(self, datastore: Any) -> None:
        """The tables are created by the schema's steps (hub/migrations), before any is used."""
        self.datastore = datastore
        self.sqlite = isinstance(datastore, SQLiteDatastore)
        if not self.sqlite and getattr(datastore, "enable_db_functions", False):
            raise RuntimeError(
                "POSTGRES_ENABLE_DB_FUNCTIONS bypasses the recorder hook that indexes which child an"
                " aggregate belongs to; per-child encryption needs it off"
            )
        names = {"keys": KEYS, "subjects": SUBJECTS, "blobs": BLOBS}
        if not self.sqlite:
            names = {k: Identifier(datastore.schema, v).as_string() for k, v in names.items()}
        self._sql = {"p": "?" if self.sqlite else "%s", **names}

    # -- keys --

    def select_key(self, child_id: UUID) -> KeyRow | None:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._q(_SELECT_KEY), (self._id(child_id),))
            row = cursor.fetchone()
        return None if row is None else KeyRow(None if row["wrapped_key"] is None else bytes(row["wrapped_key"]))

    def select_keys(self, child_ids: Sequence[UUID]) -> dict[UUID, KeyRow]:
        """``select_key`` of many children in a few statements: the rows of those that have one."""
        found: dict[UUID, KeyRow] = {}
        for chunk in in_lists(child_ids):
            statement = _SELECT_KEYS.format(marks=", ".join([self._sql["p"]] * len(chunk)), **self._sql)
            with self.datastore.transaction(commit=False) as cursor:
                cursor.execute(statement, tuple(self._id(c) for c in chunk))
                rows = cursor.fetchall()
            for row in rows:
                child_id = UUID(hex=row["child_id"]) if self.sqlite else row["child_id"]
                found[child_id] = KeyRow(None if row["wrapped_key"] is None else bytes(row["wrapped_key"]))
        return found

    def insert_key(self, child_id: UUID, wrapped_key: bytes, at: datetime) -> None:
        """Adds the key unless the child has one (or a tombstone) already: the first writer wins."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(self._q(_INSERT_KEY), (self._id(child_id), wrapped_key, self._time(at)))

    def insert_keys(self, cursor: Any, rows: Sequence[tuple[UUID, bytes]], at: datetime) -> None:
        """Adds minted keys on the cursor of the transaction that stores their children's first events."""
        cursor.executemany(self._q(_INSERT_MINTED), [(self._id(c), wrapped, self._time(at)) for c, wrapped in rows])

    def shred_key(self, child_id: UUID, at: datetime) -> bool:
        """Empties the wrapped key, leaving a tombstone; True if there was a key to shred."""
        with self.datastore.transaction(commit=True) as cursor:
            if self.sqlite:
                cursor.execute("PRAGMA secure_delete = ON")  # overwrite the freed bytes in the file
            cursor.execute(self._q(_SHRED_KEY), (self._time(at), self._id(child_id)))
            shredded = cursor.fetchone() is not None
            cursor.execute(self._q(_TOMBSTONE), (self._id(child_id), self._time(at), self._time(at)))
            if not self.sqlite:
                cursor.execute(_THIS_TRANSACTION)
                shredding = cursor.fetchone()["xid"]
        if self.sqlite:
            self._checkpoint()
        else:
            self._vacuum(shredding)
        return shredded

    def select_shredded(self) -> list[UUID]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._q(_SELECT_SHREDDED))
            return [UUID(str(row["child_id"])) for row in cursor.fetchall()]

    def compact(self, table: str) -> None:
        """Best effort, after rows were deleted: SQLite moves the WAL into the file, where secure_delete
        zeroed them; PostgreSQL vacuums the table, so the deleted versions leave its pages."""
        if self.sqlite:
            self._checkpoint()
            return
        with self.datastore.cursor() as cursor:  # a pooled connection is in autocommit: VACUUM needs that
            cursor.execute("VACUUM " + Identifier(self.datastore.schema, table).as_string())

    def _checkpoint(self) -> None:
        """Best effort: move the WAL into the database file, where secure_delete has zeroed the old key."""
        with self.datastore.get_connection(commit=True) as connection:
            connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _vacuum(self, shredding: str) -> None:
        """Best effort: PostgreSQL keeps the row's old version, wrapped key and all, in the table's pages
        until a vacuum removes it, which it may only once no transaction that could still see it is open:
        those are waited for (a while: they are another process's), then the table is vacuumed."""
        deadline = time.monotonic() + VACUUM_WAIT_S
        with self.datastore.cursor() as cursor:  # a pooled connection is in autocommit: VACUUM needs that
            while True:
                cursor.execute(_OLDER_TRANSACTIONS, (shredding, shredding))
                if cursor.fetchone()["older"] == 0 or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            cursor.execute(self._q("VACUUM {keys}"))

    # -- subjects --

    def select_subject(self, aggregate_id: UUID) -> UUID | None:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._q(_SELECT_SUBJECT), (self._id(aggregate_id),))
            row = cursor.fetchone()
        return None if row is None else UUID(str(row["child_id"]))

    def select_members(self, child_id: UUID) -> list[UUID]:
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self._q(_SELECT_MEMBERS), (self._id(child_id),))
            return [UUID(str(row["aggregate_id"])) for row in cursor.fetchall()]

    def insert_subjects(self, cursor: Any, rows: Sequence[tuple[UUID, UUID]]) -> None:
        """Runs on the cursor of the transaction that appends the events, so both commit or neither."""
        cursor.executemany(self._q(_INSERT_SUBJECT), [(self._id(a), self._id(c)) for a, c in rows])

    # -- dialect --

    def _q(self, statement: str) -> str:
        return statement.format(**self._sql)

    def _id(self, value: UUID) -> str | UUID:
        return value.hex if self.sqlite else value

    def _time(self, value: datetime) -> str | datetime:
        return value.isoformat() if self.sqlite else value
