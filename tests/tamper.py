"""Edits to the stored rows made around the hub, with the database's own client, as an intruder would,
and the log he works on.

The intruder can write every table and read everything beside the data (the SQLite store's directory,
the master key); not the checkpoint signing key, which lives elsewhere (docs/decisions/0021), nor the
heads already published outside the database. ``cover_up`` is what a capable one does after an edit.
``sealed`` is a log whose checkpoints were published to a file he cannot reach.
"""

from __future__ import annotations

import base64
import binascii
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import psycopg
import pytest

from hub.audit.chain import GENESIS, content_digest, next_link
from hub.audit.chain_store import crosses
from hub.audit.checkpoint import Head
from hub.audit.file_sink import FileSink
from hub.audit.merkle import Frontier, entry_leaf
from hub.audit.publisher import CheckpointPublisher
from hub.audit.signer import CheckpointKey, CheckpointSigner
from hub.audit.trusted_heads import read_head_file
from hub.audit.verify import Verification
from hub.bootstrap import Hub, bootstrap
from hub.crypto.derived import derived_key
from tests.builders import register_agencies
from tests.conftest import POSTGRES_URL, TEST_MASTER_KEY
from tests.scenario import drive_to


class Intruder:
    def __init__(self, app: Any, store_url: str) -> None:
        self.sqlite = store_url.startswith("sqlite")
        self.url = store_url
        self.events = app.store.recorder.events_table_name
        self.position = "rowid" if self.sqlite else "notification_id"
        self.every = app.store.chain.every

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

    # -- the events --

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

    def truncate(self, after: int) -> None:
        """Cuts the newest events, their chain entries and checkpoints: the log looks as it did at ``after``."""
        self.run("DELETE FROM {events} WHERE {position} > ?", after)
        self.run("DELETE FROM hub_chain WHERE notification_id > ?", after)
        self.run("DELETE FROM hub_checkpoints WHERE notification_id > ?", after)

    # -- the chain and its checkpoints --

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

    def delete_checkpoints(self) -> None:
        self.run("DELETE FROM hub_checkpoints")

    def resign(self, seed: bytes) -> None:
        """Replaces every checkpoint with one signed by ``seed`` over the chain as it now is, where the hub would
        have signed one (every ``HUB_CHECKPOINT_EVERY`` events, and at the head): the database agrees with itself."""
        signer = CheckpointSigner(seed)
        self.delete_checkpoints()
        entries = self.run("SELECT notification_id, digest, link FROM hub_chain ORDER BY notification_id")
        frontier, previous = Frontier(), 0
        for index, (position, digest, link) in enumerate(entries):
            frontier.append(entry_leaf(position, bytes(digest)))
            if crosses(previous, position, self.every) or index == len(entries) - 1:
                checkpoint = signer.sign(Head(position, bytes(link), frontier.size, frontier.root(), datetime.now().astimezone()))
                self.run(
                    "INSERT INTO hub_checkpoints (notification_id, link, tree_size, root, signed_at, signature, key_id,"
                    " frontier) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    position, checkpoint.link, checkpoint.tree_size, checkpoint.root, checkpoint.signed_at.isoformat(),
                    checkpoint.signature, checkpoint.key_id, frontier.to_bytes(),
                )
            previous = position

    def cover_up(self, seed: bytes) -> None:
        """After an edit: a chain that agrees with it, and checkpoints that agree with the chain."""
        self.rechain()
        self.resign(seed)

    def hold_back(self, position: int) -> None:
        """Keeps the checkpoint at ``position`` from ever leaving the database: deleted before it was shipped."""
        self.run("DELETE FROM hub_checkpoints WHERE notification_id = ?", position)


def seeds_beside_the_data(master_key: bytes, data_dir: Path | None) -> dict[str, bytes]:
    """Every signing key an intruder can make from what is kept with the data: the master key itself, the key
    the hub once derived from it, and each file of the store's directory read as a key or hashed into one."""
    seeds = {"master key": master_key, "derived from the master key": derived_key(master_key, "checkpoint signing")}
    for path in sorted(data_dir.rglob("*")) if data_dir else []:
        if not path.is_file():
            continue
        content = path.read_bytes()
        try:
            decoded = base64.urlsafe_b64decode(content.strip())
        except (binascii.Error, ValueError):
            decoded = b""
        if len(decoded) == 32:
            seeds[f"{path.name} read as a key"] = decoded
        seeds[f"{path.name} hashed"] = derived_key(content, "checkpoint signing")
    return seeds


EVERY = 5  # a checkpoint every 5 events, and the seal one more at the scenario's last


@dataclass
class Sealed:
    """A log whose checkpoints (every 5 events, and the seal at its last) were published to a file."""

    app: Hub
    env: dict[str, str]
    intruder: Intruder
    held: Path  # the published checkpoints, shipped where the intruder cannot reach
    pinned: CheckpointKey  # the public key the auditors hold
    data_dir: Path | None  # the embedded store's directory, where it keeps its master key; None on PostgreSQL
    head: int = 0  # the position of the scenario's last event, where it was sealed
    heads: int = 0  # how many checkpoints were published: one every EVERY events, and the seal

    @property
    def checkpointed(self) -> list[int]:
        """The positions of the checkpoints before the seal."""
        return list(range(EVERY, self.head, EVERY))

    @property
    def master_key(self) -> bytes:
        text = (self.data_dir / "master.key").read_text() if self.data_dir else self.env["HUB_MASTER_KEY"]
        return base64.urlsafe_b64decode(text.strip())

    def publish(self) -> int:
        return CheckpointPublisher(self.app.store.chain.sql, self.app.store.chain.checkpoints, [FileSink(self.held)]).publish()

    def verify(self, held: bool = True) -> Verification:
        return self.app.integrity.verify_log(self.pinned, read_head_file(self.held) if held else ())


@pytest.fixture
def sealed(store_url: str, frozen: Any, tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Iterator[Sealed]:
    """On SQLite, the embedded store as `scripts/start` makes it, its master key in a file beside the data."""
    embedded = store_url.startswith("sqlite")
    monkeypatch.delenv("HUB_MASTER_KEY", raising=False)
    env = {"HUB_DATABASE_URL": store_url, "HUB_CHECKPOINT_EVERY": str(EVERY),
           **({} if embedded else {"HUB_MASTER_KEY": TEST_MASTER_KEY})}
    app = bootstrap(env)
    register_agencies(app)
    drive_to(app, "care_plan_active")
    app.integrity.seal_log()
    data_dir = Path(store_url.removeprefix("sqlite:///")).parent if embedded else None
    log = Sealed(app, env, Intruder(app, store_url), tmp_path_factory.mktemp("elsewhere") / "checkpoints.jsonl",
                 app.store.checkpoint_signer.public, data_dir)
    log.heads, log.head = log.publish(), app.store.recorder.max_notification_id()
    assert log.heads == len(log.checkpointed) + 1 and log.head > 40
    assert log.verify().ok
    yield log
    app.close()
