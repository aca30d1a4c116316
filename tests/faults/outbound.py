"""What the relays put on the agencies' outbound topics, read back to the end, and what a body holds from it."""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

from kafka import KafkaConsumer
from kafka.structs import TopicPartition

from hub.kafka.settings import KafkaSettings
from tests.kafka_support import header

READ_TIMEOUT = 120.0


def read_to_end(settings: KafkaSettings, topics: list[str]) -> list[Any]:
    consumer = KafkaConsumer(  # as the bodies' consumers read (deploy/OPERATOR.md)
        **settings.client_config(), enable_auto_commit=False, auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        records: list[Any] = []
        deadline = time.monotonic() + READ_TIMEOUT
        while any(consumer.position(tp) < ends[tp] for tp in partitions):
            assert time.monotonic() < deadline, "the outbound topics could not be read to their end"
            for batch in consumer.poll(timeout_ms=200).values():
                records += batch
        return records
    finally:
        consumer.close()


def repeated(records: list[Any]) -> dict[str, int]:
    """Messages on a topic more than once: ``topic message-id`` and how many times."""
    counts = Counter(f"{r.topic} {header(r, 'message-id')}" for r in records)
    return {key: n for key, n in counts.items() if n > 1}


def held(records: list[Any]) -> dict[tuple[str, str], list[str]]:
    """Per (agency, child), the records of the message with the highest position: what the body holds."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        message = json.loads(record.value)
        key = (message["agency"], message["child_id"])
        if key not in latest or message["position"] > latest[key]["position"]:
            latest[key] = message
    return {
        key: sorted(f"{r['record_type']}:{r['record_id']}" for r in message["records"])
        for key, message in latest.items()
        if message["records"]
    }
