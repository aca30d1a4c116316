"""What a former relay may have sent without recording it: the messages on the outbound topics after the
offsets the last recorded round reached (docs/decisions/0031).

A relay records a round (its position, and where each partition's messages ended) only after the broker
took every message of it. A relay that died in between - SIGKILLed, its host gone - leaves a round sent
but unrecorded. The next leader reads each topic of its first round from the recorded offsets to the end,
and does not send again a message whose id is already there: each message reaches its topic once.

It reads only after its producer fenced the former one (hub/kafka/clients.py ``fencing_producer``), so nothing
of the former leader can land on the topics after this read; and it reads as the bodies' consumers must,
``read_committed``, so that what it finds there is what they will find: a round the broker aborted is sent again.
"""

from __future__ import annotations

from collections.abc import Iterable

from kafka import KafkaConsumer
from kafka.structs import TopicPartition

from hub.kafka.settings import KafkaSettings

POLL_MS = 200
READ_TIMEOUT_S = 60.0


def message_ids_after(
    settings: KafkaSettings, topics: Iterable[str], offsets: dict[tuple[str, int], int]
) -> set[tuple[str, str]]:
    """(topic, message-id) of every message after ``offsets`` (the beginning where none is known)."""
    import time

    consumer = KafkaConsumer(
        **settings.client_config(), enable_auto_commit=False, auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
    try:
        partitions = [
            TopicPartition(topic, p) for topic in sorted(set(topics)) for p in consumer.partitions_for_topic(topic) or ()
        ]
        if not partitions:
            return set()
        consumer.assign(partitions)
        for tp in partitions:
            consumer.seek(tp, offsets.get((tp.topic, tp.partition), 0))
        ends = consumer.end_offsets(partitions)
        found: set[tuple[str, str]] = set()
        deadline = time.monotonic() + READ_TIMEOUT_S
        while any(consumer.position(tp) < ends[tp] for tp in partitions):
            if time.monotonic() > deadline:
                raise TimeoutError("reading the outbound topics' tails took too long")
            for records in consumer.poll(timeout_ms=POLL_MS).values():
                found |= {(r.topic, dict(r.headers).get("message-id", b"").decode()) for r in records}
        return found
    finally:
        consumer.close()
