"""Every signed checkpoint leaves the database (docs/decisions/0021): ``hub_checkpoints`` is the outbox,
and the publisher ships what it has not shipped yet to each sink, the file an operator ships elsewhere
(``HUB_CHECKPOINT_LOG``) and the Kafka topic oversight bodies read (``HUB_CHECKPOINT_KAFKA``).

Checkpoints are made inside the transactions that append events, so only committed ones are ever
read here: a rolled-back append's checkpoint was never in the table. Per sink, the position shipped
up to is recorded (``hub_checkpoint_shipped``) only after the sink said the checkpoints are durable;
checkpoints commit in position order (chain_store.py), so nothing committed is passed over. A crash
in between ships those checkpoints once more: readers keep identical duplicates once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Protocol

from eventsourcing.utils import strtobool

from hub.audit.checkpoint import Checkpoint
from hub.audit.checkpoint_store import CheckpointStore
from hub.audit.file_sink import FileSink
from hub.kafka.checkpoints import KafkaCheckpointSink
from hub.kafka.settings import KafkaSettings
from hub.projections.sql import Sql

LOG_SETTING = "HUB_CHECKPOINT_LOG"
KAFKA_SETTING = "HUB_CHECKPOINT_KAFKA"
TABLES = ("hub_checkpoint_shipped",)
BATCH = 500

log = logging.getLogger(__name__)


class Sink(Protocol):
    name: str

    def ship(self, checkpoints: Sequence[Checkpoint]) -> None:
        """Returns once the checkpoints are durable outside the database; raises otherwise."""

    def close(self) -> None: ...


class CheckpointPublisher:
    def __init__(self, sql: Sql, checkpoints: CheckpointStore, sinks: Sequence[Sink]) -> None:
        self.sql = sql
        self.checkpoints = checkpoints
        self.sinks = sinks

    def shipped(self, sink: str) -> int:
        rows = self.sql.query("SELECT position FROM {hub_checkpoint_shipped} WHERE sink = ?", TABLES, [sink])
        return int(rows[0][0]) if rows else 0

    def publish(self) -> int:
        """Ships every checkpoint not shipped yet to every sink; returns how many it shipped in all."""
        shipped = 0
        for sink in self.sinks:
            after = self.shipped(sink.name)
            while batch := self.checkpoints.after(after, BATCH):
                sink.ship(batch)
                self._record(sink.name, after, batch[-1].position)
                after = batch[-1].position
                shipped += len(batch)
        return shipped

    def _record(self, sink: str, start: int, upto: int) -> None:
        """Moves the sink's position from ``start`` to ``upto``, unless another publisher moved it meanwhile."""
        with self.sql.transaction() as cursor:
            cursor.execute(
                "INSERT INTO {hub_checkpoint_shipped} (sink, position) VALUES (?, ?) "
                "ON CONFLICT (sink) DO UPDATE SET position = excluded.position "
                "WHERE {hub_checkpoint_shipped}.position = ?",
                TABLES, [sink, upto, start],
            )
        if self.shipped(sink) != upto:
            log.warning("another publisher shipped to %s past %s meanwhile: this batch went twice", sink, start)

    def close(self) -> None:
        for sink in self.sinks:
            sink.close()


def configured_sinks(env: Mapping[str, str]) -> list[Sink]:
    """The sinks ``env`` asks for: the file, the Kafka topic, both or (with a warning) neither."""
    sinks: list[Sink] = []
    path = env.get(LOG_SETTING)
    if path:
        sinks.append(FileSink(path))
    if strtobool(env.get(KAFKA_SETTING) or "off"):
        sinks.append(KafkaCheckpointSink(KafkaSettings.from_env()))
    if not sinks:
        log.warning("neither %s nor %s is set: checkpoints stay in the database, where whoever can write it can"
                    " delete them (docs/decisions/0021)", LOG_SETTING, KAFKA_SETTING)
    return sinks
