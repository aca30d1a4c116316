"""The outbound relay against a real Kafka-protocol broker: per-child order, withdrawal, a relay that dies
between the broker's acknowledgement and its own position (its successor sends none of that round again),
and one replaced while its round is still on its way to the broker (that round never lands,
docs/decisions/0031)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from hub.kafka.relay import Relay
from hub.kafka.settings import KafkaSettings
from hub.leadership.lease import Fenced
from hub.privacy.policy_file import packaged_policy_text
from tests.builders import AUDITOR, INSPECTOR, MANAGER, referral_content
from tests.faults.outbound import read_to_end, repeated
from tests.kafka_support import (  # noqa: F401 - fixtures
    Tansu,
    TopicReader,
    header,
    kafka_broker,
    kafka_settings,
    require_kafka,
    settings_for,
    wait_for,
)
from tests.produce_hold import ProduceHold

WAIT = 30.0


def relay_round(app: Any, settings: KafkaSettings) -> int:
    app.views.catch_up()
    relay = Relay(app, settings)
    try:
        return relay.relay_once()
    finally:
        relay.close()


def read(settings: KafkaSettings, agencies: list[str], at_least: int) -> list[Any]:
    reader = TopicReader(settings, [settings.outbound_topic(a) for a in agencies])
    try:
        return reader.until(lambda rs: len(rs) >= at_least, WAIT, f"{at_least} messages")
    finally:
        reader.close()


def applied_once(records: list[Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """What a consumer following the contract holds: per (agency, child), the highest position only."""
    held: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        message = json.loads(record.value)
        key = (message["agency"], message["child_id"])
        if key not in held or message["position"] > held[key]["position"]:
            held[key] = message
    return held


def test_messages_about_a_child_reach_its_centre_in_log_order_on_one_partition(
    app: Any, kafka_settings: KafkaSettings
) -> None:
    referral = app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="k-1").referral
    rounds = [relay_round(app, kafka_settings)]
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    rounds.append(relay_round(app, kafka_settings))
    app.referrals.accept_referral(MANAGER, referral.id)
    rounds.append(relay_round(app, kafka_settings))
    assert all(rounds) and relay_round(app, kafka_settings) == 0  # nothing changed: nothing sent

    records = read(kafka_settings, [MANAGER.agency], 3)
    mine = [r for r in records if r.key.decode() == str(referral.child_id)]
    assert len({r.partition for r in mine}) == 1
    positions = [json.loads(r.value)["position"] for r in sorted(mine, key=lambda r: r.offset)]
    assert len(positions) == 3 and positions == sorted(set(positions))
    states = [
        next(x["record"]["state"] for x in json.loads(r.value)["records"] if x["record_type"] == "referral")
        for r in sorted(mine, key=lambda r: r.offset)
    ]
    assert states == ["submitted", "acknowledged", "accepted"]
    assert header(mine[-1], "message-id") == f"{referral.child_id}:{positions[-1]}"


def test_a_body_that_no_longer_sees_a_child_is_sent_an_empty_list(app: Any, kafka_settings: KafkaSettings) -> None:
    referral = app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="k-2").referral
    relay_round(app, kafka_settings)
    policy = yaml.safe_load(packaged_policy_text())
    policy["version"] += 1
    policy["grants"] = [g for g in policy["grants"] if g["id"] != "OVERSIGHT"]  # auditors no longer see referrals
    app.store.adopt_policy(yaml.safe_dump(policy, allow_unicode=True, sort_keys=False))
    relay_round(app, kafka_settings)

    records = read(kafka_settings, [AUDITOR.agency], 2)
    about = [json.loads(r.value) for r in sorted(records, key=lambda r: r.offset)
             if r.key.decode() == str(referral.child_id)]
    assert [bool(m["records"]) for m in about] == [True, False]
    assert about[0]["records"][0]["policy_version"] == policy["version"] - 1
    # Nothing more is sent to it about this child while it sees nothing.
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    relay_round(app, kafka_settings)
    assert len(read(kafka_settings, [AUDITOR.agency], 2)) == 2


class CrashAfterFlush(Exception):
    pass


def test_a_relay_that_dies_after_the_broker_took_a_round_is_followed_by_one_that_sends_none_of_it_again(
    app: Any, kafka_settings: KafkaSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="k-3").referral
    app.views.catch_up()
    agencies = [a.code for a in app.directory.agencies()]
    relay_round(app, kafka_settings)  # a recorded round: the successor reads the topics from where it ended
    app.referrals.acknowledge_referral(MANAGER, first.id)
    app.views.catch_up()
    dying = Relay(app, kafka_settings)

    def crash(*args: Any) -> None:
        raise CrashAfterFlush()

    monkeypatch.setattr(dying, "_record", crash)
    with pytest.raises(CrashAfterFlush):
        dying.relay_once()
    sent = len(read(kafka_settings, agencies, 1))
    dying.close()

    successor = Relay(app, kafka_settings)
    successor.taking_over = True  # what a new leader's first round does (Relay.run)
    try:
        assert successor.relay_once() == 0  # the round is on the topics already: recorded, not sent again
        assert successor.position() == app.views.store.position()
    finally:
        successor.close()
    app.referrals.accept_referral(MANAGER, first.id)
    assert relay_round(app, kafka_settings) > 0
    records = read(kafka_settings, agencies, sent + 1)
    ids = [(r.topic, header(r, "message-id")) for r in records]
    assert len(ids) == len(set(ids))  # every message on its topic once
    held = applied_once(records)
    for (agency, child_id), message in held.items():
        rows = [r for r in app.views.store.rows_of_child(first.child_id) if r.agency == agency]
        assert child_id == str(first.child_id)
        assert sorted(r["record_id"] for r in message["records"]) == sorted(r.record_id for r in rows)
    centre = held[(MANAGER.agency, str(first.child_id))]["records"]
    assert [r["record"]["state"] for r in centre if r["record_type"] == "referral"] == ["accepted"]


def _topic_events(app: Any, notice_id: Any) -> list[tuple[str | None, str | None]]:
    return [(getattr(e, "channel", None), getattr(e, "error", None)) for e in app.store.events.get(notice_id)
            if type(e).__name__ == "DeliveryRecorded"]


def test_a_notice_is_recorded_delivered_to_its_recipients_topic_once_the_broker_took_it(
    app: Any, kafka_settings: KafkaSettings
) -> None:
    from tests.scenario import notices_about

    referral = app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="k-d1").referral
    [notice] = notices_about(app, referral)  # the GTA told of a referral to the CAM (cam N02)
    relay_round(app, kafka_settings)
    assert _topic_events(app, notice.id) == [("topic", None)]
    [message] = [json.loads(r.value) for r in read(kafka_settings, [notice.recipient_agency], 1)]
    assert str(notice.id) in {x["record_id"] for x in message["records"] if x["record_type"] == "notice"}
    # The record changed, so the round goes out again; it is recorded once all the same.
    relay_round(app, kafka_settings)
    assert _topic_events(app, notice.id) == [("topic", None)]
    app.views.catch_up()
    assert app.reads.show(INSPECTOR, "notice", notice.id)["delivery"] == {"topic": "delivered"}


def test_a_round_the_broker_did_not_acknowledge_records_a_failure_and_no_delivery(
    app: Any, kafka_settings: KafkaSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kafka import KafkaProducer
    from kafka.errors import KafkaTimeoutError

    from tests.scenario import notices_about

    referral = app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="k-d2").referral
    [notice] = notices_about(app, referral)
    app.views.catch_up()
    failing = Relay(app, kafka_settings)

    def timeout(producer: Any, *args: Any, **kwargs: Any) -> None:
        # What a send does when the broker is away: no message of the round reaches a topic. (A round whose
        # messages did reach it is found there by the next round, and not sent again.)
        raise KafkaTimeoutError("Failed to update metadata")

    monkeypatch.setattr(KafkaProducer, "send", timeout)  # every producer: a failed round starts a new one
    for _ in range(2):  # one outage, however many rounds it fails: one failure recorded
        with pytest.raises(KafkaTimeoutError):
            failing.relay_once()
    failing.close()
    monkeypatch.undo()
    assert _topic_events(app, notice.id) == [("topic", "KafkaTimeoutError")]
    relay_round(app, kafka_settings)
    assert _topic_events(app, notice.id) == [("topic", "KafkaTimeoutError"), ("topic", None)]


@pytest.fixture
def held_broker() -> Iterator[tuple[Tansu, ProduceHold]]:
    """A broker of its own, reached through a proxy that can hold a client's Produce requests on their way."""
    proxy = ProduceHold()
    broker = Tansu(advertised_port=proxy.port)
    proxy.broker_port = broker.port
    try:
        broker.start()
    except Exception as error:  # noqa: BLE001 - reported as the missing service
        proxy.close()
        require_kafka(f"{type(error).__name__}: {error}")
    yield broker, proxy
    proxy.close()
    broker.stop()


def test_a_round_still_on_its_way_when_a_new_relay_takes_over_never_reaches_the_topics(
    app: Any, held_broker: tuple[Tansu, ProduceHold]
) -> None:
    broker, proxy = held_broker
    settings = settings_for(broker)
    first = app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="k-4").referral
    app.views.catch_up()
    agencies = [a.code for a in app.directory.agencies()]
    former = Relay(app, settings)
    assert former.relay_once() > 0  # its producer's connections are open now
    app.referrals.acknowledge_referral(MANAGER, first.id)
    app.views.catch_up()

    # The former relay's next round leaves it and is held before the broker appends it: as when a relay is
    # SIGKILLed with a request in flight, or paused, and another takes over meanwhile.
    proxy.hold()
    outcome: list[BaseException] = []

    def former_round() -> None:
        try:
            former.relay_once()
        except BaseException as error:  # noqa: BLE001 - what it ended with is the point
            outcome.append(error)

    in_flight = threading.Thread(target=former_round, daemon=True)
    in_flight.start()
    wait_for(proxy.holding.is_set, WAIT, "the former relay's round on its way")

    successor = Relay(app, settings)
    successor.taking_over = True  # what a new leader's first round does (Relay.run)
    try:
        assert successor.relay_once() > 0  # nothing of the held round is on the topics: it sends it
    finally:
        successor.close()
    proxy.release()  # the former's round reaches the broker now, after the successor's
    in_flight.join(WAIT)
    former.close()

    records = read_to_end(settings, [settings.outbound_topic(a) for a in agencies])
    assert repeated(records) == {}  # every message on its topic once
    assert [type(error) for error in outcome] == [Fenced]  # refused by the broker: it stands by
    centre = applied_once(records)[(MANAGER.agency, str(first.child_id))]["records"]
    assert [r["record"]["state"] for r in centre if r["record_type"] == "referral"] == ["acknowledged"]
