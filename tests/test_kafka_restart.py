"""The broker stopped and restarted mid-stream: every referral sent ends in the hub exactly once, and
the relay resumes where it was. The broker keeps its data across the restart (tests/kafka_support.py).

The broker is killed (SIGKILL, the harshest stop) while the worker is part-way through the first
messages and the relay has work to do; more messages are produced while it is down."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from kafka import KafkaProducer

from adapters.registry import ADAPTERS
from hub.bootstrap import Hub
from hub.kafka.inbound import inbound
from hub.kafka.ingest import IngestWorker
from hub.kafka.relay import Relay
from tests.builders import INSPECTOR, MANAGER
from tests.kafka_support import (  # noqa: F401 - fixtures
    AgencySigner,
    Tansu,
    TopicReader,
    durable_broker,
    receipt,
    running,
    settings_for,
    wait_for,
)
from tests.test_kafka_relay import applied_once

MESSAGES = 24
WAIT = 60.0


def protocol(number: int) -> bytes:
    message = ADAPTERS["police"].samples()["placement_protocol"]
    message["protocol_no"] = f"ОЮП-{number:04d}/26"
    message["child"] = {**message["child"], "given_name": f"Child{number}", "surname": f"Surname{number}"}
    return json.dumps(message).encode()


def submitted_referrals(app: Hub) -> int:
    notifications = app.store.recorder.select_notifications(start=1, limit=1_000_000)
    return sum(1 for n in notifications if n.topic.endswith("Referral.Submitted"))


@pytest.mark.parametrize("store_url", ["postgres"], indirect=True)  # the production store only
def test_the_broker_stopped_and_restarted_mid_stream_loses_nothing(app: Hub, durable_broker: Tansu) -> None:
    settings = settings_for(durable_broker, flush_timeout_s=5.0)
    signer = AgencySigner(app, INSPECTOR.agency)
    topic = settings.inbound_topic("police")
    producer = KafkaProducer(**settings.producer_config())

    def send(numbers: range) -> list[Any]:
        return [
            producer.send(topic, key=f"protocol-{n}".encode(), value=protocol(n), headers=[
                (k, v.encode()) for k, v in signer.headers("police", INSPECTOR, protocol(n), None, f"protocol-{n}").items()
            ])
            for n in numbers
        ]

    worker = IngestWorker(app, settings, inbound("police"))
    relay = Relay(app, settings)
    stop_relay = threading.Event()
    relaying = threading.Thread(target=relay.run, args=(stop_relay, app.views.catch_up), daemon=True)
    relaying.start()
    try:
        with running(worker):
            first = send(range(MESSAGES // 2))
            producer.flush(timeout=30)
            assert all(f.get(timeout=0) for f in first)
            wait_for(lambda: worker.applied >= 2, WAIT, "the first messages applied")

            durable_broker.stop(kill=True)  # a crash, mid-stream: the worker and the relay are busy
            second = send(range(MESSAGES // 2, MESSAGES))  # buffered by the producer meanwhile
            durable_broker.start()
            producer.flush(timeout=WAIT)
            assert all(f.get(timeout=0) for f in second)

            wait_for(
                lambda: all(receipt(app, INSPECTOR, "police", f"protocol-{n}") for n in range(MESSAGES)),
                WAIT, "every message applied after the restart",
            )
        assert submitted_referrals(app) == MESSAGES  # exactly once each
        assert worker.dead_lettered == 0

        children = {
            receipt(app, INSPECTOR, "police", f"protocol-{n}").applied[0]["child_id"] for n in range(MESSAGES)
        }
        assert len(children) == MESSAGES
        reader = TopicReader(settings, [settings.outbound_topic(MANAGER.agency)])
        try:
            reader.until(
                lambda records: {child for (_, child) in applied_once(records)} >= children,
                WAIT, "the relay to tell the centre of every child",
            )
        finally:
            reader.close()
    finally:
        stop_relay.set()
        relaying.join(timeout=30)
        relay.close()
        producer.close()
