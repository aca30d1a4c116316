"""Kafka ingestion against a real Kafka-protocol broker (tests/kafka_support.py): one message per
agency end to end into the hub and out to each entitled body's topic, duplicates, dead letters,
transient failures and the GTA's acknowledgement of its notice."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import OperationalError
from kafka import KafkaConsumer
from kafka.structs import TopicPartition

from adapters.registry import ADAPTERS
from hub.aggregates.vocabulary import CASE_MANAGING_BODIES
from hub.kafka.inbound import inbound, inbounds
from hub.kafka.ingest import Inbound, IngestWorker
from hub.kafka.relay import Relay
from hub.kafka.settings import KafkaSettings
from tests.builders import (
    CIM_OFFICER,
    DOCTOR,
    GTA_OFFICER,
    INSPECTOR,
    MANAGER,
    NGO_COORDINATOR,
    OMBUDSMAN_MONITOR,
    OTHER_CENTRE,
    SCHOOL_PSYCHOLOGIST,
)
from tests.kafka_support import (  # noqa: F401 - fixtures
    Signers,
    TopicReader,
    header,
    kafka_broker,
    kafka_settings,
    receipt,
    running,
    send,
    wait_for,
)
from tests.scenario import notices_about

WAIT = 30.0
CENTRE_MANAGERS = {MANAGER.agency: MANAGER, OTHER_CENTRE.agency: OTHER_CENTRE}

# One message of each agency: the sample its adapter documents, and who sends it.
SENT = {
    "police": ("placement_protocol", INSPECTOR),
    "schools": ("concern_report_physical", SCHOOL_PSYCHOLOGIST),
    "health": ("violence_notice", DOCTOR),
    "ngo": ("referral_form_exploitation", NGO_COORDINATOR),
    "ombudsman": ("safeguarding_concern", OMBUDSMAN_MONITOR),
}


def sample(adapter: str, name: str, **changes: Any) -> bytes:
    return json.dumps({**ADAPTERS[adapter].samples()[name], **changes}).encode()


class Senders:
    """The agencies' systems, each signing with a key of its own, and sending as them."""

    def __init__(self, app: Any, settings: KafkaSettings) -> None:
        self.app, self.settings = app, settings
        self.signer = Signers(app)

    def send(
        self, adapter: str, actor: Any, value: bytes, message_id: str | None, key: str | None = None, **headers: str
    ) -> None:
        key = key or message_id
        sent = {**self.signer(actor).headers(adapter, actor, value, message_id, key), **headers}
        send(self.settings, self.settings.inbound_topic(adapter), value, key, sent)

    def applied(self, actor: Any, adapter: str, message_id: str) -> Any:
        return wait_for(lambda: receipt(self.app, actor, adapter, message_id), WAIT, f"{adapter} {message_id} applied")


@pytest.fixture
def senders(app: Any, kafka_settings: KafkaSettings) -> Senders:
    return Senders(app, kafka_settings)


def workers(app: Any, settings: KafkaSettings, *names: str) -> list[IngestWorker]:
    return [IngestWorker(app, settings, i) for i in inbounds(list(names) or None)]


def outbound(app: Any, settings: KafkaSettings) -> dict[str, list[dict[str, Any]]]:
    """Brings the views up to date, relays, and reads every outbound topic: agency -> messages."""
    app.views.catch_up()
    relay = Relay(app, settings)
    try:
        sent = relay.relay_once()
    finally:
        relay.close()
    reader = TopicReader(settings, [settings.outbound_topic(a.code) for a in app.directory.agencies()])
    try:
        records = reader.until(lambda rs: len(rs) >= sent, WAIT, f"{sent} outbound messages")
    finally:
        reader.close()
    assert len(records) == sent
    by_agency: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        message = json.loads(record.value)
        assert record.topic == settings.outbound_topic(message["agency"])
        assert record.key.decode() == message["child_id"] == header(record, "child-id")
        by_agency.setdefault(message["agency"], []).append(message)
    return by_agency


def test_a_message_of_each_agency_reaches_the_hub_and_only_the_bodies_the_policy_entitles(
    app: Any, kafka_settings: KafkaSettings, senders: Senders
) -> None:
    for adapter, (name, actor) in SENT.items():
        senders.send(adapter, actor, sample(adapter, name), f"{adapter}-1")
    with running(*workers(app, kafka_settings)):
        receipts = {adapter: senders.applied(actor, adapter, f"{adapter}-1") for adapter, (_, actor) in SENT.items()}
        referrals = {
            adapter: [app.store.repository.get(UUID(a["record_id"])) for a in r.applied] for adapter, r in receipts.items()
        }
        assert all(referrals.values())

        # Into the CAM/CSC's inbox: the centre that received each referral reads it in full.
        to_centres = [
            r for rs in referrals.values() for r in rs if app.directory.agency(r.recipient_agency).kind in CASE_MANAGING_BODIES
        ]
        assert to_centres
        for referral in to_centres:
            manager = CENTRE_MANAGERS[referral.recipient_agency]
            assert app.reads.show(manager, "referral", referral.id)["content"]["concern"]["description"]

        # The GTA's placement decision goes into the case the police referral opened.
        police = referrals["police"][0]
        assert police.recipient_agency == MANAGER.agency
        app.referrals.acknowledge_referral(MANAGER, police.id)
        case = app.referrals.accept_referral(MANAGER, police.id)
        decision = sample("guardianship", "placement_decision", case_id=str(case.id), child_id=str(police.child_id))
        senders.send("guardianship", GTA_OFFICER, decision, "guardianship-1")
        senders.applied(GTA_OFFICER, "guardianship", "guardianship-1")
        assert app.store.repository.get(case.id).placement is not None

    messages = outbound(app, kafka_settings)
    children = {str(r.child_id) for rs in referrals.values() for r in rs}
    entitled = {
        (row.agency, row.child_id) for child in children for row in app.views.store.rows_of_child(UUID(child))
    }
    received = {(agency, m["child_id"]) for agency, ms in messages.items() for m in ms if m["records"]}
    # Exactly the bodies the views entitle, each with exactly its view's records - no one else.
    assert received == entitled
    for agency, ms in messages.items():
        for m in ms:
            rows = [r for r in app.views.store.rows_of_child(UUID(m["child_id"])) if r.agency == agency]
            sent = sorted((r["record_type"], r["record_id"], json.dumps(r["record"], sort_keys=True)) for r in m["records"])
            assert sent == sorted(
                (r.record_type, r.record_id, json.dumps(r.body, sort_keys=True)) for r in rows
            )
    # The centre and the GTA of the city are told of the police referral (P-03a: not the concern itself).
    police_child = str(police.child_id)
    assert (MANAGER.agency, police_child) in received and (GTA_OFFICER.agency, police_child) in received
    gta_referral = next(
        r["record"] for m in messages[GTA_OFFICER.agency] if m["child_id"] == police_child
        for r in m["records"] if r["record_type"] == "referral"
    )
    assert "description" not in gta_referral["content"]["concern"]
    # The school whose staff the Ombudsman's concern is about never learns of it; the embassy learns nothing.
    ombudsman_children = {str(r.child_id) for r in referrals["ombudsman"]}
    assert not {c for a, c in received if a == "special-school-almaty-4"} & ombudsman_children
    assert "embassy-uz-almaty" not in messages


def test_a_message_delivered_twice_makes_one_referral(
    app: Any, kafka_settings: KafkaSettings, senders: Senders
) -> None:
    message = sample("police", "placement_protocol")
    senders.send("police", INSPECTOR, message, "protocol-0417")
    senders.send("police", INSPECTOR, message, "protocol-0417")
    senders.send("police", INSPECTOR, message, None, key="protocol-0417")  # the key alone identifies it too
    worker = IngestWorker(app, kafka_settings, inbound("police"))
    with running(worker):
        wait_for(lambda: worker.applied == 3, WAIT, "three deliveries handled")
    first = receipt(app, INSPECTOR, "police", "protocol-0417")
    referral = app.store.repository.get(UUID(first.applied[0]["record_id"]))
    assert app.store.repository.get(referral.child_id).referral_ids == [referral.id]
    assert worker.dead_lettered == 0


def test_a_poison_message_is_dead_lettered_with_its_reason_and_the_next_is_processed(
    app: Any, kafka_settings: KafkaSettings, senders: Senders
) -> None:
    good = sample("police", "placement_protocol")
    invalid = json.loads(good)
    del invalid["found_at"]
    poison = [
        (b"{not json", INSPECTOR, {}),
        (json.dumps(invalid).encode(), INSPECTOR, {}),
        (good, INSPECTOR, {"signature": "", "authorization": "Bearer hub_a-token"}),  # a token is not a signature
        (good, SCHOOL_PSYCHOLOGIST, {}),  # a school does not send police protocols
        (good, INSPECTOR, {"user": "someone.else"}),  # the agency signed it for another user
    ]
    for index, (value, actor, headers) in enumerate(poison):
        senders.send("police", actor, value, f"poison-{index}", **headers)
    senders.send("police", INSPECTOR, good, "good-1")
    worker = IngestWorker(app, kafka_settings, inbound("police"))
    with running(worker):
        senders.applied(INSPECTOR, "police", "good-1")
        wait_for(lambda: worker.dead_lettered == len(poison), WAIT, "the dead letters")
        group = KafkaConsumer(**kafka_settings.consumer_config(kafka_settings.ingest_group("police")))
        topic = kafka_settings.inbound_topic("police")
        try:
            committed = wait_for(
                lambda: sum(group.committed(TopicPartition(topic, p)) or 0 for p in group.partitions_for_topic(topic))
                == len(poison) + 1,
                WAIT, "every offset committed",
            )
        finally:
            group.close()
        assert committed

    reader = TopicReader(kafka_settings, [kafka_settings.dead_letter_topic("police")])
    try:
        letters = reader.until(lambda rs: len(rs) >= len(poison), WAIT, "the dead-letter topic")
    finally:
        reader.close()
    by_id = {header(r, "message-id"): r for r in letters}
    reasons = {mid: json.loads(header(r, "dlq-reason")) for mid, r in by_id.items()}
    assert {mid: (r["reason"], r["field"]) for mid, r in reasons.items()} == {
        "poison-0": ("malformed-json", "body"),
        "poison-1": ("missing-field", "found_at"),
        "poison-2": ("unauthenticated", "headers.signature"),
        "poison-3": ("agency-not-allowed", "headers.agency"),
        "poison-4": ("unauthenticated", "headers.signature"),
    }
    for index, (value, _, _) in enumerate(poison):
        letter = by_id[f"poison-{index}"]
        assert letter.value == value and letter.key == f"poison-{index}".encode()
        assert header(letter, "authorization") is None  # a bearer token is never copied
        assert header(letter, "agency") is not None
        # The reason names fields, never their content.
        assert "Rakhimov" not in header(letter, "dlq-reason") and "Bekzod" not in header(letter, "dlq-reason")
        assert reasons[f"poison-{index}"]["source"]["topic"] == kafka_settings.inbound_topic("police")
    assert worker.applied == 1


def ingest_failing_first(
    app: Any, kafka_settings: KafkaSettings, senders: Senders, failures: list[Exception], message_id: str
) -> tuple[list[str], IngestWorker]:
    """Sends one police message to a worker whose handling raises ``failures`` one by one before it succeeds;
    returns each attempt's message id and the worker, once the message is applied."""
    police = inbound("police")
    attempts: list[str] = []

    def failing_first(hub: Any, actor: Any, raw: bytes, message_id: str) -> Any:
        attempts.append(message_id)
        if len(attempts) <= len(failures):
            raise failures[len(attempts) - 1]
        return police.receive(hub, actor, raw, message_id)

    senders.send("police", INSPECTOR, sample("police", "placement_protocol"), message_id)
    worker = IngestWorker(app, kafka_settings, Inbound("police", police.kinds, failing_first))
    with running(worker):
        senders.applied(INSPECTOR, "police", message_id)
    return attempts, worker


def test_a_transient_failure_is_retried_and_never_dead_lettered(
    app: Any, kafka_settings: KafkaSettings, senders: Senders
) -> None:
    failures: list[Exception] = [OperationalError("the database is away"), OperationalError("the database is away")]
    attempts, worker = ingest_failing_first(app, kafka_settings, senders, failures, "flaky-1")
    assert attempts == ["flaky-1"] * 3
    assert (worker.applied, worker.dead_lettered) == (1, 0)


def test_the_gta_acknowledges_its_notice_of_a_referral_on_the_guardianship_topic(
    app: Any, kafka_settings: KafkaSettings, senders: Senders
) -> None:
    senders.send("police", INSPECTOR, sample("police", "placement_protocol"), "protocol-1")
    police, guardianship = (IngestWorker(app, kafka_settings, inbound(n)) for n in ("police", "guardianship"))
    with running(police, guardianship):
        applied = senders.applied(INSPECTOR, "police", "protocol-1")
        referral_id = applied.applied[0]["record_id"]
        [notice] = notices_about(app, app.store.repository.get(UUID(referral_id)))
        assert notice.recipient_agency == GTA_OFFICER.agency
        ack = json.dumps({"message_type": "notice_acknowledged", "referral_id": referral_id}).encode()
        senders.send("guardianship", GTA_OFFICER, ack, "ack-1")
        senders.send("guardianship", GTA_OFFICER, ack, "ack-2")  # a repeat records nothing
        senders.send("guardianship", CIM_OFFICER, ack, "ack-3")  # the CIM was sent no notice
        garbled = json.dumps({"message_type": "notice_acknowledged", "referral_id": "the boy's referral"}).encode()
        senders.send("guardianship", GTA_OFFICER, garbled, "ack-4")
        wait_for(lambda: guardianship.applied + guardianship.dead_lettered == 4, WAIT, "the acknowledgements")
    assert app.store.repository.get(notice.id).acknowledged_by == GTA_OFFICER.user
    events = [type(e).__name__ for e in app.store.events.get(notice.id)]
    assert events.count("Acknowledged") == 1
    reader = TopicReader(kafka_settings, [kafka_settings.dead_letter_topic("guardianship")])
    try:
        letters = reader.until(lambda rs: len(rs) >= 2, WAIT, "the dead letters")
    finally:
        reader.close()
    reasons = {header(r, "message-id"): json.loads(header(r, "dlq-reason")) for r in letters}
    assert {mid: (r["reason"], r["field"]) for mid, r in reasons.items()} == {
        "ack-3": ("not-found", None), "ack-4": ("wrong-type", "referral_id"),
    }
    assert "boy" not in json.dumps(reasons)
