"""Odd input over Kafka (docs/decisions/0023): a dead-letter record that names the field and never the value.

Against a real Kafka-protocol broker (tests/kafka_support.py), on both stores.
"""

from __future__ import annotations

import json
from typing import Any

from adapters.registry import ADAPTERS
from hub.kafka.inbound import inbound
from hub.kafka.ingest import IngestWorker
from hub.kafka.settings import KafkaSettings
from tests.api_support import referrals_submitted
from tests.builders import INSPECTOR
from tests.kafka_support import (  # noqa: F401 - fixtures
    AgencySigner,
    TopicReader,
    header,
    kafka_broker,
    kafka_settings,
    running,
    send,
    wait_for,
)

WAIT = 30.0
ODD = {
    "name-with-an-override": ("child", "surname", "Rakhimov\u202evonimihkaR", "child.surname"),
    "statement-with-a-nul": ("child", "statement", "Bekzod said\x00 that he came alone", "child.statement"),
}


def test_odd_input_is_dead_lettered_naming_the_field_and_never_the_value(
    app: Any, kafka_settings: KafkaSettings
) -> None:
    signer = AgencySigner(app, INSPECTOR.agency)
    topic = kafka_settings.inbound_topic("police")
    for message_id, (part, field, value, _) in ODD.items():
        message = ADAPTERS["police"].samples()["placement_protocol"]
        message[part] = {**message[part], field: value}
        value = json.dumps(message).encode()
        send(kafka_settings, topic, value, message_id, signer.headers("police", INSPECTOR, value, message_id))
    worker = IngestWorker(app, kafka_settings, inbound("police"))
    with running(worker):
        wait_for(lambda: worker.dead_lettered == len(ODD), WAIT, "the dead letters")

    reader = TopicReader(kafka_settings, [kafka_settings.dead_letter_topic("police")])
    try:
        letters = reader.until(lambda rs: len(rs) >= len(ODD), WAIT, "the dead-letter topic")
    finally:
        reader.close()
    reasons = {header(r, "message-id"): header(r, "dlq-reason") for r in letters}
    assert {mid: (json.loads(r)["reason"], json.loads(r)["field"]) for mid, r in reasons.items()} == {
        mid: ("invalid-value", field) for mid, (_, _, _, field) in ODD.items()
    }
    for reason in reasons.values():
        assert "Rakhimov" not in reason and "Bekzod" not in reason and "U+" not in reason
    assert worker.applied == 0 and referrals_submitted(app) == 0
