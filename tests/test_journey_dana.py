"""Dana's journey (violence-system-evaluation §3.4), over HTTP, each body at its own desk: an undocumented girl of
14, raped by her landlord-employer, a mother at 14. In 2016 her complaint was refused and left no trace; here
every body the manuals name is told, finds the notice in its inbox and on its topic, answers it on its clock, a
refusal goes on record with the prosecutor, an emergency notice left unacknowledged escalates, and the centre
that manages her sees every answer. No police or migration body ever sees her migration situation.
(decisions 0025, 0034, 0036, 0037.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind
from hub.api.app import create_app
from hub.bootstrap import Hub
from hub.kafka.settings import KafkaSettings
from tests.builders import (
    ADMIN,
    CIM_OFFICER,
    DOCTOR,
    GTA_OFFICER,
    INSPECTOR,
    INVESTIGATOR,
    MANAGER,
    MIGRATION_OFFICER,
    NGO_COORDINATOR,
    PROSECUTOR,
    SOCIAL_WORKER,
)
from tests.journey_support import Desk, told
from tests.kafka_support import TopicReader, kafka_broker, kafka_settings  # noqa: F401 - fixtures
from tests.test_kafka_relay import relay_round

SOCIAL_PROTECTION = Actor("socprot-almaty", "officer", "m.abenova")
MIGRATION_SECRETS = ("nationality", "migration_status", "categories")

DANA = {
    "referrer": {"name": "Saule Akhmetova", "professional_title": "head of the maternity ward", "phone": "+7 727 000 11 22"},
    "child": {
        "given_name": "Dana", "family_name": "Yusupova", "stated_age": 14, "sex": "female",
        "nationality": "Uzbekistan", "languages": ["uzbek"], "city": "almaty",
        "categories": ["irregular_migrant"], "migration_status": "no documents; came with her grandmother",
        "address": "the landlord's house, Almaly district",
    },
    "parents": [{"name": "Gulnara Yusupova", "relationship": "grandmother, carer", "address": "the landlord's house"}],
    "concern": {
        "category": "sexual_violence",
        "description": "Gave birth at 14, under the age of consent; lives and works for the landlord, the suspected father.",
        "urgency": "high",
    },
    "consent": {"given": True, "by": ["child"], "note": "Dana agreed, through an interpreter"},
}


@pytest.fixture
def desks(app: Hub) -> Iterator[dict[str, Desk]]:
    app.directory.register_agency(ADMIN, SOCIAL_PROTECTION.agency, "Department of Social Protection, Almaty",
                                  BodyKind.SOCIAL_PROTECTION, "almaty")
    with TestClient(create_app(app)) as client:
        people = {
            "hospital": DOCTOR, "cam": MANAGER, "social_worker": SOCIAL_WORKER, "gta": GTA_OFFICER,
            "police": INSPECTOR, "cim": CIM_OFFICER, "social_protection": SOCIAL_PROTECTION,
            "investigator": INVESTIGATOR, "prosecutor": PROSECUTOR, "ngo": NGO_COORDINATOR,
            "migration": MIGRATION_OFFICER,
        }
        yield {name: Desk(client, app, actor) for name, actor in people.items()}


def test_every_body_the_manuals_name_is_told_answers_and_the_centre_sees_it_all(
    app: Hub, frozen: Any, desks: dict[str, Desk], kafka_settings: KafkaSettings
) -> None:
    hospital, cam, police, prosecutor = desks["hospital"], desks["cam"], desks["police"], desks["prosecutor"]

    # D1: the maternity hospital refers Dana; the health SOP and the CAM manual name who is told.
    referral = hospital.post("/v1/referrals", DANA, status=201)
    notices = told(referral)
    assert {rule: to for rule, (to, _) in notices.items()} == {
        "cam:N02": "gta-almaty",  # the GTA of a referral to the CAM
        "vse:SOP-POLICE": "ji-almaty",
        "vse:SOP-CIM": "cim-almaty",
        "vse:SOP-SOCIAL-PROTECTION": "socprot-almaty",
    }
    by_rule = {n["rule"]: n["id"] for n in referral["notices"]}
    for desk, rule in (("gta", "cam:N02"), ("police", "vse:SOP-POLICE"), ("cim", "vse:SOP-CIM"),
                       ("social_protection", "vse:SOP-SOCIAL-PROTECTION")):
        assert by_rule[rule] in desks[desk].notice_ids(), desk  # in its own inbox, on its clock
        notice = desks[desk].get(f"/v1/notices/{by_rule[rule]}")
        assert notice["state"] == "created" and notice["ack_due_at"], desk
    assert desks["migration"].inbox() == []  # migration control is told nothing, ever

    # On each body's own topic too (the relay, as `hub relay` runs it).
    relay_round(app, kafka_settings)
    reader = TopicReader(kafka_settings, [kafka_settings.outbound_topic(a) for a in ("ji-almaty", "socprot-almaty")])
    try:
        records = reader.until(lambda rs: len(rs) >= 2, 30, "the police's and social protection's messages")
    finally:
        reader.close()
    on_topics = {(m["agency"], x["record_id"]) for m in map(lambda r: json.loads(r.value), records)
                 for x in m["records"] if x["record_type"] == "notice"}
    assert {("ji-almaty", by_rule["vse:SOP-POLICE"]),
            ("socprot-almaty", by_rule["vse:SOP-SOCIAL-PROTECTION"])} <= on_topics

    # The police see the offence, never her migration situation (VSE-8.3).
    seen = police.get(f"/v1/referrals/{referral['id']}")
    assert seen["content"]["concern"]["description"]
    assert not set(MIGRATION_SECRETS) & set(seen["content"]["child"])

    # D3: the inspection refuses - "no written statement from the victim". The refusal goes on record.
    police.post(f"/v1/notices/{by_rule['vse:SOP-POLICE']}/acknowledge")
    police.post(f"/v1/notices/{by_rule['vse:SOP-POLICE']}/answer",
                {"answer": "refuse", "reasons": ["no written statement from the victim"]})
    police.post(f"/v1/notices/{by_rule['vse:SOP-POLICE']}/answer", {"answer": "action_taken"}, status=409)
    [refusal] = [i for i in prosecutor.inbox("notices")]
    on_record = prosecutor.get(f"/v1/notices/{refusal['item_id']}")
    assert on_record["rule"] == "hub:REFUSED"
    for sender_or_manager in (hospital, cam):
        answered = sender_or_manager.get(f"/v1/notices/{by_rule['vse:SOP-POLICE']}")
        assert (answered["answer"], answered["answer_reasons"]) == ("refuse", ["no written statement from the victim"])

    # D4: the CAM acknowledges and accepts; its intake tells the investigator (N06) and the NGO (N08).
    cam.post(f"/v1/referrals/{referral['id']}/acknowledge")
    case_id = cam.post(f"/v1/referrals/{referral['id']}/accept", status=201)["id"]
    for action in ("police_informed", "supporter_requested"):
        cam.post(f"/v1/cases/{case_id}/intake-actions", {"action": action})
    n06 = desks["investigator"].notice_ids()
    n08 = desks["ngo"].notice_ids()
    assert len(n06) == 1 and len(n08) == 1
    ngo_view = desks["ngo"].get(f"/v1/notices/{next(iter(n08))}")
    assert ngo_view["rule"] == "cam:N08"

    # D5-D6: the landlord's family threaten her; the urgent notice to the inspection is left unacknowledged.
    desks["social_worker"].post(f"/v1/cases/{case_id}/emergency", {"description": "the landlord's family threaten her"})
    [urgent] = police.notice_ids() - {by_rule["vse:SOP-POLICE"]}
    assert police.get(f"/v1/notices/{urgent}")["rule"] == "cam:N12"

    def escalations_of_urgent() -> list[Any]:  # one pass of `hub escalate`
        return [e for e in app.escalation.escalate_overdue() if str(e.subject_id) == urgent]

    frozen.advance(timedelta(minutes=59))
    assert escalations_of_urgent() == []  # within its hour
    frozen.advance(timedelta(minutes=2))
    assert len(escalations_of_urgent()) == 1 and escalations_of_urgent() == []  # raised once
    assert any(i["item_type"] == "escalation" for i in cam.inbox("escalated"))
    assert any(i["item_type"] == "escalation" for i in prosecutor.inbox("escalated"))

    # D7: removal is decided: the GTA (N14) and the inspection (N15) are told, each within the hour.
    before_gta, before_police = desks["gta"].notice_ids(), police.notice_ids()
    cam.post(f"/v1/cases/{case_id}/removal", {"reasons": "threats by the suspect's family; she lives in his house"})
    rules = {desks["gta"].get(f"/v1/notices/{n}")["rule"] for n in desks["gta"].notice_ids() - before_gta}
    assert rules == {"cam:N14"}
    assert {police.get(f"/v1/notices/{n}")["rule"] for n in police.notice_ids() - before_police} == {"cam:N15"}

    # The centre sees, on the referral, where each notice stands: the refusal, the acknowledgements.
    standing = told(cam.get(f"/v1/referrals/{referral['id']}"))
    assert standing["vse:SOP-POLICE"] == ("ji-almaty", "answered")
    assert standing["cam:N02"][1] == "created"
    # And no police or migration body has seen her migration situation anywhere it was told of her.
    for desk in (police, desks["investigator"], prosecutor):
        for item in desk.inbox():
            text = json.dumps(desk.get(f"/v1/notices/{item['item_id']}") if item["item_type"] == "notice" else item)
            assert "Uzbekistan" not in text and "irregular_migrant" not in text and "no documents" not in text
