"""Kafka ingestion in batches (docs/decisions/0028): a poll's messages saved in one transaction, a failing
message isolated to the dead-letter topic while the rest of its poll is saved, nothing of it kept."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from hub.aggregates.child import Child
from hub.errors import InvalidInput
from hub.kafka.clients import Topics
from hub.kafka.inbound import inbound
from hub.kafka.ingest import Inbound, IngestWorker
from hub.kafka.settings import KafkaSettings
from tests.api_support import EventTally, referrals_submitted
from tests.builders import INSPECTOR
from tests.kafka_support import (  # noqa: F401 - fixtures
    TopicReader,
    committed_offsets,
    header,
    kafka_broker,
    receipt,
    running,
    settings_for,
    wait_for,
)
from tests.test_kafka_ingest import Senders, sample

WAIT = 30.0
GOOD = 10


def protocol(n: int) -> bytes:
    """A police protocol about a child of its own."""
    document = json.loads(sample("police", "placement_protocol"))
    document["protocol_no"] = f"ОЮП-{n:05d}/26"
    document["child"] = {**document["child"], "given_name": f"Child{n}", "surname": f"Surname{n}"}
    return json.dumps(document).encode()


class CountedSaves:
    """Counts the store's transactions that hold an adapter's receipt."""

    def __init__(self, app: Any) -> None:
        self.app, self.receipts_per_save = app, []
        self.save = app.store.save
        app.store.save = self._save  # shadows the class's for this hub only

    def _save(self, *aggregates: Any, **kwargs: Any) -> Any:
        receipts = sum(type(a).__name__ == "MessageReceipt" for a in aggregates)
        if receipts:
            self.receipts_per_save.append(receipts)
        return self.save(*aggregates, **kwargs)


def one_partition(kafka_broker: Any) -> KafkaSettings:
    """The police topic with one partition: the worker's first poll holds every message sent before it started."""
    settings = settings_for(kafka_broker, partitions=1)
    Topics(settings).ensure([settings.inbound_topic("police"), settings.dead_letter_topic("police")])
    return settings


def send_around(senders: Senders, bad: bytes) -> list[str]:
    """GOOD protocols with ``bad`` in the middle; the ids of the good ones."""
    good = [f"good-{n}" for n in range(GOOD)]
    for n, message_id in enumerate(good):
        if n == GOOD // 2:
            senders.send("police", INSPECTOR, bad, "bad-1")
        senders.send("police", INSPECTOR, protocol(n), message_id)
    return good


def dead_letters(settings: KafkaSettings, count: int) -> dict[str, dict[str, Any]]:
    reader = TopicReader(settings, [settings.dead_letter_topic("police")])
    try:
        letters = reader.until(lambda rs: len(rs) >= count, WAIT, "the dead-letter topic")
    finally:
        reader.close()
    return {str(header(r, "message-id")): json.loads(str(header(r, "dlq-reason"))) for r in letters}


def all_committed(settings: KafkaSettings) -> bool:
    topic = settings.inbound_topic("police")
    return committed_offsets(settings, settings.ingest_group("police"), topic) == {0: GOOD + 1}


def referrals_of(app: Any, message_id: str) -> list[Any]:
    found = receipt(app, INSPECTOR, "police", message_id)
    return [app.store.repository.get(UUID(a["record_id"])) for a in found.applied] if found else []


def test_a_bad_message_in_the_middle_of_a_poll_is_dead_lettered_and_the_rest_saved_together_once(
    app: Any, kafka_broker: Any
) -> None:
    settings = one_partition(kafka_broker)
    senders = Senders(app, settings)
    invalid = json.loads(protocol(99))
    del invalid["found_at"]
    good = send_around(senders, json.dumps(invalid).encode())
    saves = CountedSaves(app)
    worker = IngestWorker(app, settings, inbound("police"))
    with running(worker):
        wait_for(lambda: worker.applied + worker.dead_lettered == GOOD + 1, WAIT, "the poll handled")
        wait_for(lambda: all_committed(settings), WAIT, "every offset committed")

    assert (worker.applied, worker.dead_lettered) == (GOOD, 1)
    assert saves.receipts_per_save == [GOOD]  # the good messages of the poll in one transaction
    for message_id in good:
        [referral] = referrals_of(app, message_id)
        assert app.store.repository.get(referral.child_id).referral_ids == [referral.id]
    assert receipt(app, INSPECTOR, "police", "bad-1") is None
    reason = dead_letters(settings, 1)["bad-1"]
    assert (reason["reason"], reason["field"], reason["source"]["offset"]) == ("missing-field", "found_at", GOOD // 2)


def test_a_message_refused_after_it_was_staged_leaves_nothing_of_itself_in_the_poll(
    app: Any, kafka_broker: Any
) -> None:
    """A message whose last check fails once its commands are staged (as a message with several commands
    whose last one is refused) is dead-lettered, and the poll is saved again without it."""
    settings = one_partition(kafka_broker)
    senders = Senders(app, settings)
    police = inbound("police")

    def refused_once_staged(hub: Any, actor: Any, raw: bytes, message_id: str) -> Any:
        applied = police.receive(hub, actor, raw, message_id)
        if message_id == "bad-1":
            raise InvalidInput("case_id", "no such case", problem_type="unknown-case")
        return applied

    good = send_around(senders, protocol(99))
    worker = IngestWorker(app, settings, Inbound("police", police.kinds, refused_once_staged))
    with running(worker):
        wait_for(lambda: worker.applied + worker.dead_lettered == GOOD + 1, WAIT, "the poll handled")
        wait_for(lambda: all_committed(settings), WAIT, "every offset committed")

    assert (worker.applied, worker.dead_lettered) == (GOOD, 1)
    assert all(len(referrals_of(app, message_id)) == 1 for message_id in good)
    assert receipt(app, INSPECTOR, "police", "bad-1") is None
    # The bad message's referral and child, staged before it was refused, were not saved with the others.
    assert referrals_submitted(app) == GOOD
    assert EventTally(app, Child.Registered).total() == GOOD
    reason = dead_letters(settings, 1)["bad-1"]
    assert (reason["reason"], reason["field"]) == ("unknown-case", "case_id")
