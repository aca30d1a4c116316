"""The NGO's independent supporter over its Kafka topic, against a real broker (tests/kafka_support.py; decisions 0034,
0044): what the NGO does over HTTP - answering the supporter request, its supporter's steps, recommendations, the
child's views and a child's declining - its own system sends on ``hub.in.ngo``, signed with its key, and the case
manager is told as over HTTP; a report on a case whose request the NGO did not accept is dead-lettered as an unknown
case, and a report repeated under the same message id changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from hub.actor import Actor
from hub.aggregates.case_vocabulary import IntakeAction, SupporterStep
from hub.kafka.inbound import inbound
from hub.kafka.ingest import IngestWorker
from hub.kafka.settings import KafkaSettings
from tests.builders import MANAGER
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
from tests.scenario import notices_about, open_case

WAIT = 30.0
SUPPORTER = Actor("ngo-rodnik", "independent_supporter", "a.sarsenova")


def _requested(app):
    case = open_case(app)
    app.cases.record_intake_action(MANAGER, case.id, IntakeAction.SUPPORTER_REQUESTED, None)
    [request] = [n for n in notices_about(app, case) if n.rule == "cam:N08"]
    return case, request


def _told_manager(app, case, rule):
    return [n for n in notices_about(app, case) if n.rule == rule and n.recipient_agency == MANAGER.agency]


def test_the_ngo_s_system_sends_its_supporter_s_part_over_kafka_and_the_manager_is_told(
    app: Any, kafka_settings: KafkaSettings
) -> None:
    case, request = _requested(app)
    other, _ = _requested(app)  # asked of the NGO too, never accepted: to the NGO it is not its case
    ids = {"case_id": str(case.id), "child_id": str(case.child_id)}
    messages = [
        ("answer", {"message_type": "notice_answered", "notice_id": str(request.id), "answer": "accept"}),
        ("contacted", {"message_type": "supporter_step", **ids, "step": "supporter_contacted"}),
        ("met", {"message_type": "supporter_step", **ids, "step": "first_meeting_held", "note": "at school"}),
        ("recommends", {"message_type": "supporter_recommendation", **ids, "text": "involve the school psychologist"}),
        ("views", {"message_type": "child_views", **ids, "capacity": "conveying_views_with_dissent",
                   "views": "wants to go home", "supporter_view": "not yet safe", "reasons": "the partner is there"}),
        ("views", {"message_type": "child_views", **ids, "capacity": "conveying_views_with_dissent",
                   "views": "wants to go home", "supporter_view": "not yet safe", "reasons": "the partner is there"}),
        ("declined", {"message_type": "child_declined_supporter", **ids}),
        ("not-ours", {"message_type": "supporter_recommendation", "case_id": str(other.id),
                      "child_id": str(other.child_id), "text": "x"}),
    ]
    signer = AgencySigner(app, SUPPORTER.agency)
    topic = kafka_settings.inbound_topic("ngo")
    for message_id, document in messages:
        value = json.dumps(document).encode()
        # keyed by the case, as adapters/ngo/README.md asks: one partition keeps the NGO's order
        send(kafka_settings, topic, value, document.get("case_id", ids["case_id"]),
             signer.headers("ngo", SUPPORTER, value, message_id))

    worker = IngestWorker(app, kafka_settings, inbound("ngo"))
    with running(worker):
        wait_for(lambda: worker.applied + worker.dead_lettered == len(messages), WAIT, "every message")
    assert (worker.applied, worker.dead_lettered) == (len(messages) - 1, 1)  # the repeated views change nothing

    steps = app.cases.case_for(MANAGER, case.id).supporter_steps
    assert set(steps) == {SupporterStep.NGO_ACCEPTED, SupporterStep.SUPPORTER_CONTACTED, SupporterStep.FIRST_MEETING_HELD}
    [recommendation] = _told_manager(app, case, "cam:N45")
    assert app.reads.show(MANAGER, "notice", recommendation.id)["reason"] == "involve the school psychologist"
    [views] = _told_manager(app, case, "ngo:N18")
    assert "not yet safe" in app.reads.show(MANAGER, "notice", views.id)["reason"]
    assert len(_told_manager(app, case, "cam:N11")) == 1
    assert _told_manager(app, other, "cam:N45") == []

    reader = TopicReader(kafka_settings, [kafka_settings.dead_letter_topic("ngo")])
    try:
        [letter] = reader.until(lambda rs: len(rs) >= 1, WAIT, "the dead letter")
    finally:
        reader.close()
    reason = json.loads(header(letter, "dlq-reason"))
    assert (header(letter, "message-id"), reason["reason"], reason["field"]) == ("not-ours", "unknown-case", "case_id")
