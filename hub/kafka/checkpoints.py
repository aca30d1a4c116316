"""The signed checkpoints on Kafka (docs/decisions/0021): published to ``PREFIX.audit.checkpoints`` for the
oversight bodies, and read back whole by ``hub audit verify --trusted-topic``.

One partition, so a consumer reads them in the order they were made, and kept for ever
(``retention.ms=-1``): the series is only worth anything whole. Each message is the checkpoint's JSON
(hub/audit/checkpoint.py) keyed by its position; a batch sent again after a crash repeats identical
messages, which readers keep once.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from kafka import KafkaConsumer
from kafka.structs import TopicPartition

from hub.audit.checkpoint import MESSAGE_TYPE, Checkpoint
from hub.audit.trusted_heads import read_heads
from hub.kafka.clients import OwnProducer, Topics
from hub.kafka.settings import KafkaSettings
from hub.kafka.transient import TRANSIENT

TOPIC_CONFIG = {"retention.ms": "-1"}


class KafkaCheckpointSink:
    name = "kafka"

    def __init__(self, settings: KafkaSettings) -> None:
        self.settings = settings
        self.topic = settings.checkpoint_topic()
        self.producer = OwnProducer(settings)
        self.topics = Topics(settings)

    def ship(self, checkpoints: Sequence[Checkpoint]) -> None:
        """Returns once the broker acknowledged every message (acks=all)."""
        self.topics.ensure([self.topic], partitions=1, configs=TOPIC_CONFIG)
        try:
            futures = [
                self.producer().send(
                    self.topic, key=str(c.position).encode(), value=c.line(),
                    headers=[("message-type", MESSAGE_TYPE.encode()), ("content-type", b"application/json")],
                )
                for c in checkpoints
            ]
            self.producer().flush(timeout=self.settings.flush_timeout_s)
            for future in futures:
                future.get(timeout=0)  # raises if the broker did not take it: the position stays
        except TRANSIENT:
            self.close()  # the next round starts with a new producer (see clients.close_producer)
            raise

    def close(self) -> None:
        self.producer.discard()


def read_checkpoint_topic(settings: KafkaSettings, topic: str, timeout_s: float = 60.0) -> list[Checkpoint]:
    """Every checkpoint on ``topic``, from its first message to the last one there when the reading began."""
    consumer = KafkaConsumer(**settings.client_config(), enable_auto_commit=False, auto_offset_reset="earliest")
    try:
        found = consumer.partitions_for_topic(topic)
        if not found:
            raise LookupError(f"there is no topic {topic} on {settings.bootstrap}")
        partitions = [TopicPartition(topic, p) for p in sorted(found)]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        end = consumer.end_offsets(partitions)
        values: list[bytes] = []
        deadline = time.monotonic() + timeout_s
        while any(consumer.position(p) < end[p] for p in partitions):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{topic} was not read to its end within {timeout_s:.0f}s")
            for records in consumer.poll(timeout_ms=settings.poll_timeout_ms).values():
                values += [r.value for r in records]
        return read_heads(values, topic, "message")
    finally:
        consumer.close()
