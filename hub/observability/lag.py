"""How far behind the log the views and the relay are, and the ingestion behind its topics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub import clock


@dataclass(frozen=True)
class ProjectionLag:
    events: int
    seconds: float
    relay_events: int  # positions whose view changes the relay has not sent yet


def projection_lag(hub: Any) -> ProjectionLag:
    """Three cheap queries: the log's head, the views' position, the relay's; and, when behind, the time of
    the first event the views have not taken in."""
    head = hub.store.recorder.max_notification_id() or 0
    reached = hub.views.store.position()
    seconds = 0.0
    if head > reached:
        first = hub.store.recorder.select_notifications(start=reached + 1, limit=1)
        if first:
            event = hub.store.mapper.to_domain_event(first[0])
            seconds = max((clock.now() - event.timestamp).total_seconds(), 0.0)
    return ProjectionLag(head - reached, seconds, _relay_pending(hub))


def _relay_pending(hub: Any) -> int:
    """Positions noted in the change log after the relay's: what it has yet to send (it deletes what it sent)."""
    from hub.kafka.relay import TABLES, Relay

    sql = hub.views.store.sql
    try:
        rows = sql.query(
            "SELECT COUNT(DISTINCT c.position) FROM {hub_view_changes} c WHERE c.position > "
            "COALESCE((SELECT t.position FROM {hub_relay_tracking} t WHERE t.name = ?), 0)",
            TABLES, [Relay.NAME],
        )
    except Exception:
        return 0  # no relay ever ran here (no Kafka): none is behind
    return int(rows[0][0])


def broker_lag(settings: Any) -> tuple[dict[str, int], dict[str, int]]:
    """Per inbound topic, messages not yet committed by its consumer group; per dead-letter topic, its size."""
    from kafka import KafkaAdminClient, KafkaConsumer
    from kafka.structs import TopicPartition

    from hub.kafka.inbound import inbound_names

    admin = KafkaAdminClient(**settings.client_config())
    consumer = KafkaConsumer(**settings.client_config(), enable_auto_commit=False)
    try:
        lag: dict[str, int] = {}
        dead: dict[str, int] = {}
        existing = set(consumer.topics())
        for adapter in inbound_names():
            topic, dead_topic = settings.inbound_topic(adapter), settings.dead_letter_topic(adapter)
            if topic in existing:
                parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
                ends = consumer.end_offsets(parts)
                done = admin.list_consumer_group_offsets(settings.ingest_group(adapter), partitions=parts)
                lag[topic] = sum(
                    max(ends[tp] - (done[tp].offset if tp in done and done[tp].offset >= 0 else 0), 0) for tp in parts
                )
            if dead_topic in existing:
                parts = [TopicPartition(dead_topic, p) for p in consumer.partitions_for_topic(dead_topic) or ()]
                starts, ends = consumer.beginning_offsets(parts), consumer.end_offsets(parts)
                dead[dead_topic] = sum(ends[tp] - starts[tp] for tp in parts)
        return lag, dead
    finally:
        consumer.close()
        admin.close()
