"""Bodies with no adapter of their own answer their notices over Kafka, on ``hub.in.notices``, against a real broker
(tests/kafka_support.py; docs/decisions/0044): the prosecutor told of a removal, social protection asked to support a
family, the education department told of a child in the residential unit. Each message is signed by the sending
agency's key and allowed by the same commands as over HTTP; an unsigned one, one from a role without the command, an
answer to another body's notice and anything but an acknowledgement or an answer are dead-lettered, and every
message accepted is applied.
"""

from __future__ import annotations

import json
from typing import Any

from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind, City, PlacementType
from hub.kafka.inbound import NOTICES, inbounds
from hub.kafka.ingest import IngestWorker
from hub.kafka.settings import KafkaSettings
from tests.builders import ADMIN, GTA_OFFICER, INSPECTOR, MANAGER, PROSECUTOR
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
from tests.scenario import drive_to, notices_about, open_case

WAIT = 30.0
SOCIAL_PROTECTION = Actor("sp-almaty", "officer", "g.nurlanova")
EDUCATION = Actor("edu-almaty", "officer", "a.bekova")


def _notice(app, case, rule):
    [notice] = [n for n in notices_about(app, case) if n.rule == rule]
    return notice


def _message(message_type: str, notice_id: Any, **more: Any) -> bytes:
    return json.dumps({"message_type": message_type, "notice_id": str(notice_id), **more}).encode()


def test_the_prosecutor_social_protection_and_education_answer_over_kafka_and_bad_messages_are_dead_lettered(
    app: Any, kafka_settings: KafkaSettings
) -> None:
    app.directory.register_agency(ADMIN, "sp-almaty", "Social Protection, Almaty", BodyKind.SOCIAL_PROTECTION,
                                  City.ALMATY)
    app.directory.register_agency(ADMIN, "edu-almaty", "Department of Education, Almaty",
                                  BodyKind.EDUCATION_DEPARTMENT, City.ALMATY)
    removed = open_case(app)
    app.cases.record_placement(INSPECTOR, removed.id, PlacementType.REMOVED_TEMPORARY_PROTECTION, "act 12")
    supported = drive_to(app, "awaiting_support_referral")
    app.papers.refer_for_support(MANAGER, supported.id, "sp-almaty", ["social support"], "the mother is alone")
    resident = open_case(app)
    app.cases.record_placement(GTA_OFFICER, resident.id, PlacementType.CAM_CSC_RESIDENTIAL_UNIT, "GTA-7")
    removal, support, school = (_notice(app, removed, "cam:N16"), _notice(app, supported, "cam:N25"),
                                _notice(app, resident, "cam:N18"))

    topic = kafka_settings.inbound_topic(NOTICES)
    signers = {a.agency: AgencySigner(app, a.agency) for a in (PROSECUTOR, SOCIAL_PROTECTION, EDUCATION)}

    def sending(message_id: str, actor: Actor, value: bytes, signed: bool = True) -> None:
        headers = signers[actor.agency].headers(NOTICES, actor, value, message_id)
        if not signed:
            headers.pop("signature")
        send(kafka_settings, topic, value, message_id, headers)

    accepted = {
        "prosecutor-checked": (PROSECUTOR, _message("notice_answered", removal.id, answer="action_taken",
                                                    note="the removal act checked: lawful")),
        "sp-accepts": (SOCIAL_PROTECTION, _message("notice_answered", support.id, answer="accept")),
        "edu-acknowledges": (EDUCATION, _message("notice_acknowledged", school.id)),
    }
    refused = {
        "unsigned": (EDUCATION, _message("notice_acknowledged", school.id), False),
        "no-such-role": (Actor(PROSECUTOR.agency, "janitor", "x"), _message("notice_acknowledged", removal.id), True),
        "not-addressed": (PROSECUTOR, _message("notice_answered", support.id, answer="refuse", reasons=["no"]), True),
        "a-referral": (SOCIAL_PROTECTION, json.dumps({"message_type": "concern_report"}).encode(), True),
    }
    for message_id, (actor, value) in accepted.items():
        sending(message_id, actor, value)
    for message_id, (actor, value, signed) in refused.items():
        sending(message_id, actor, value, signed)

    [worker] = [IngestWorker(app, kafka_settings, i) for i in inbounds([NOTICES])]
    with running(worker):
        wait_for(lambda: worker.applied + worker.dead_lettered == len(accepted) + len(refused), WAIT, "every message")
    assert (worker.applied, worker.dead_lettered) == (len(accepted), len(refused))

    assert app.reads.show(MANAGER, "notice", removal.id)["answer_note"] == "the removal act checked: lawful"
    assert app.reads.show(MANAGER, "notice", support.id)["answer"] == "accept"
    assert app.cases.case_for(MANAGER, supported.id).state == "closed"  # N26 recorded on the case (T08)
    assert app.reads.show(MANAGER, "notice", school.id)["state"] == "acknowledged"

    reader = TopicReader(kafka_settings, [kafka_settings.dead_letter_topic(NOTICES)])
    try:
        letters = reader.until(lambda rs: len(rs) >= len(refused), WAIT, "the dead letters")
    finally:
        reader.close()
    reasons = {header(r, "message-id"): json.loads(header(r, "dlq-reason")) for r in letters}
    assert {mid: (r["stage"], r["reason"]) for mid, r in reasons.items()} == {
        "unsigned": ("authenticate", "unauthenticated"),
        "no-such-role": ("authenticate", "forbidden"),
        "not-addressed": ("apply", "not-found"),
        "a-referral": ("apply", "unknown-message-type"),
    }
