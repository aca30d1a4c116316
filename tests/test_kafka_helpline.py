"""Helpline 150's calls over Kafka (hub.in.helpline, docs/decisions/0043) against a real broker: a logged call
becomes a referral, a call the hub may not take is dead-lettered with its reason and never a word of the call."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from hub.kafka.inbound import inbound
from hub.kafka.ingest import IngestWorker
from hub.kafka.settings import KafkaSettings
from tests.builders import MANAGER, SCHOOL_PSYCHOLOGIST
from tests.kafka_support import (  # noqa: F401 - fixtures
    TopicReader,
    header,
    kafka_broker,
    kafka_settings,
    running,
    wait_for,
)
from tests.test_kafka_ingest import WAIT, Senders, sample, senders  # noqa: F401 - the senders fixture
from tests.test_new_ways_in import HELPLINE, register_helpline


def test_calls_arrive_over_kafka_and_one_the_hub_may_not_take_is_dead_lettered(
    app: Any, kafka_settings: KafkaSettings, senders: Senders
) -> None:
    register_helpline(app)
    unagreed = json.loads(sample("helpline", "call_record_child"))
    unagreed["child_agreed_to_referral"] = False
    senders.send("helpline", HELPLINE, json.dumps(unagreed).encode(), "150-bad-1")
    senders.send("helpline", SCHOOL_PSYCHOLOGIST, sample("helpline", "call_record_neighbour"), "150-bad-2")
    senders.send("helpline", HELPLINE, sample("helpline", "call_record_child"), "150-good-1")
    worker = IngestWorker(app, kafka_settings, inbound("helpline"))
    with running(worker):
        [applied] = senders.applied(HELPLINE, "helpline", "150-good-1").applied
        wait_for(lambda: worker.dead_lettered == 2, WAIT, "the dead letters")
    referral = app.referrals.referral_for(MANAGER, UUID(applied["record_id"]))
    assert referral.content.self_referral is not None and referral.content.self_referral.keep_from_parents

    reader = TopicReader(kafka_settings, [kafka_settings.dead_letter_topic("helpline")])
    try:
        letters = reader.until(lambda rs: len(rs) >= 2, WAIT, "the dead-letter topic")
    finally:
        reader.close()
    reasons = {header(r, "message-id"): json.loads(header(r, "dlq-reason")) for r in letters}
    assert {mid: (r["reason"], r["field"]) for mid, r in reasons.items()} == {
        "150-bad-1": ("invalid-value", "child_agreed_to_referral"),
        "150-bad-2": ("agency-not-allowed", "headers.agency"),
    }
    assert all("Madina" not in header(r, "dlq-reason") for r in letters)
    assert worker.applied == 1
