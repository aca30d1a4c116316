"""Edits to the stored rows made around the hub, with the database's own client, as an intruder would."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlparse

import psycopg

from hub.audit.chain import GENESIS, content_digest, next_link
from tests.conftest import POSTGRES_URL


class Intruder:
    def __init__(self, app: Any, store_url: str) -> None:
        self.sqlite = store_url.startswith("sqlite")
        self.url = store_url
        self.events = app.store.recorder.events_table_name
        self.position = "rowid" if self.sqlite else "notification_id"

    @contextmanager
    def _db(self) -> Iterator[Any]:
        if self.sqlite:
            connection = sqlite3.connect(urlparse(self.url).path)
            try:
                yield connection
                connection.commit()
            finally:
                connection.close()
        else:
            schema = parse_qs(urlparse(self.url).query)["schema"][0]
            with psycopg.connect(POSTGRES_URL, autocommit=False) as connection:
                connection.execute(f'SET search_path TO "{schema}"')
                yield connection

    def run(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        statement = statement.format(events=self.events, position=self.position)
        if not self.sqlite:
            statement = statement.replace("?", "%s")
        with self._db() as db:
            cursor = db.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def alter(self, position: int) -> None:
        self.run("UPDATE {events} SET state = ? WHERE {position} = ?", b"forged state", position)

    def delete(self, position: int) -> None:
        self.run("DELETE FROM {events} WHERE {position} = ?", position)

    def swap(self, first: int, second: int) -> None:
        for old, new in ((first, -1), (second, first), (-1, second)):
            self.run("UPDATE {events} SET {position} = ? WHERE {position} = ?", new, old)

    def insert_copy_of(self, position: int) -> int:
        """A new stream whose first event is a copy of the one at ``position``: well-formed, never chained."""
        (topic, state), = self.run("SELECT topic, state FROM {events} WHERE {position} = ?", position)
        new_id = uuid.uuid4().hex if self.sqlite else uuid.uuid4()
        self.run(
            "INSERT INTO {events} (originator_id, originator_version, topic, state) VALUES (?, 1, ?, ?)",
            new_id, topic, state,
        )
        return int(self.run("SELECT MAX({position}) FROM {events}")[0][0])

    def rechain(self) -> None:
        """What a capable intruder does next: recompute every link so the chain agrees with the edit."""
        rows = self.run(f"SELECT {self.position}, originator_id, originator_version, topic, state FROM {{events}}"
                        f" ORDER BY {self.position}")
        self.run("DELETE FROM hub_chain")
        link = GENESIS
        for position, originator_id, version, topic, state in rows:
            digest = content_digest(uuid.UUID(str(originator_id)), version, topic, bytes(state))
            link = next_link(link, position, digest)
            self.run("INSERT INTO hub_chain (notification_id, digest, link) VALUES (?, ?, ?)", position, digest, link)
