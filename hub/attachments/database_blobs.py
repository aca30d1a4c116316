"""Sealed files in a table of the event store's database (``hub_attachment_blobs``, made by schema step 2,
hub/migrations/v0002_attachment_blobs.py): nothing more to run or back up (``hub backup`` copies it)."""

from __future__ import annotations

from uuid import UUID

from psycopg.sql import Identifier

from hub.crypto.tables import BLOBS, HubTables

_INSERT = "INSERT INTO {blobs} (attachment_id, child_id, sealed) VALUES ({p}, {p}, {p})"
_SELECT = "SELECT sealed FROM {blobs} WHERE attachment_id = {p} AND child_id = {p}"
_DELETE_CHILD = "DELETE FROM {blobs} WHERE child_id = {p} RETURNING attachment_id"


class DatabaseBlobs:
    def __init__(self, tables: HubTables) -> None:
        self._tables = tables
        self._datastore = tables.datastore
        name = BLOBS if tables.sqlite else Identifier(self._datastore.schema, BLOBS).as_string()
        self._sql = {"p": "?" if tables.sqlite else "%s", "blobs": name}

    def put(self, child_id: UUID, attachment_id: UUID, sealed: bytes) -> None:
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(self._q(_INSERT), (self._id(attachment_id), self._id(child_id), sealed))

    def get(self, child_id: UUID, attachment_id: UUID) -> bytes | None:
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(self._q(_SELECT), (self._id(attachment_id), self._id(child_id)))
            row = cursor.fetchone()
        return None if row is None else bytes(row["sealed"])

    def delete_child(self, child_id: UUID) -> int:
        with self._datastore.transaction(commit=True) as cursor:
            if self._tables.sqlite:
                cursor.execute("PRAGMA secure_delete = ON")  # overwrite the freed pages in the file
            cursor.execute(self._q(_DELETE_CHILD), (self._id(child_id),))
            deleted = len(cursor.fetchall())
        self._tables.compact(BLOBS)
        return deleted

    def _q(self, statement: str) -> str:
        return statement.format(**self._sql)

    def _id(self, value: UUID) -> str | UUID:
        return value.hex if self._tables.sqlite else value
