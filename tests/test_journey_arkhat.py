"""Arkhat's journey (violence-system-evaluation §3.2), over HTTP, each body at its own desk: a boy of 15 in a
village of Turkestan region, moved there from Aktau, beaten by his wrestling coach after competitions and
bullied at school. His family feared gossip at the only hospital. Here the hospital's referral tells every body
the health SOP and the CAM manual name, each finds its notice in its inbox and answers it; the inspection that
does not acknowledge is escalated to the prosecutor with nothing of the boy in the escalation; the school's head
learns of the pupil and no more; the supporter's account of what Arkhat wants reaches the centre and nobody else.
(Decisions 0025, 0034, 0037.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind
from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.builders import ADMIN
from tests.journey_support import Desk, told

PLACE = "turkestan_oblast"
BODIES = {
    "hospital": ("hospital-tko", BodyKind.HEALTH, "head"),
    "cam": ("cam-tko", BodyKind.CAM, "manager"),
    "gta": ("gta-tko", BodyKind.GTA, "officer"),
    "police": ("ji-tko", BodyKind.JUVENILE_POLICE, "juvenile_inspector"),
    "cim": ("cim-tko", BodyKind.CIM, "officer"),
    "social_protection": ("socprot-tko", BodyKind.SOCIAL_PROTECTION, "officer"),
    "school": ("school-tko-auyl", BodyKind.SCHOOL, "director"),
    "investigator": ("police-inv-tko", BodyKind.POLICE_INVESTIGATION, "investigator"),
    "prosecutor": ("prosecutor-tko", BodyKind.PROSECUTOR, "prosecutor"),
    "ngo": ("ngo-tko", BodyKind.NGO, "coordinator"),
}

ARKHAT = {
    "referrer": {"name": "Erlan Tursynov", "professional_title": "head of the district hospital"},
    "child": {
        "given_name": "Arkhat", "family_name": "Seitkaliev", "stated_age": 15, "sex": "male", "city": PLACE,
        "categories": ["internal_migrant"], "school": "the village school", "school_agency": "school-tko-auyl",
        "address": "the village, Sairam district",
    },
    "parents": [{"name": "Aigul Seitkalieva", "relationship": "mother, the only breadwinner"}],
    "concern": {
        "category": "physical_violence",
        "description": "Beaten with a leather belt and struck in the face by his wrestling coach after competitions.",
        "evidence": "facial injury treated after a regional competition",
        "urgency": "high",
    },
    "consent": {"given": True, "by": ["child"], "note": "Arkhat agreed; his mother was told"},
}


@pytest.fixture
def desks(app: Hub) -> Iterator[dict[str, Desk]]:
    for code, kind, _ in BODIES.values():
        app.directory.register_agency(ADMIN, code, code, kind, PLACE)
    people = {name: Actor(code, role, f"{name}.person") for name, (code, _, role) in BODIES.items()}
    people["supporter"] = Actor("ngo-tko", "independent_supporter", "supporter.person")
    people["teacher"] = Actor("school-tko-auyl", "teacher", "teacher.person")
    with TestClient(create_app(app)) as client:
        yield {name: Desk(client, app, actor) for name, actor in people.items()}


def test_the_hospital_s_referral_reaches_every_body_and_each_answers_on_its_clock(
    app: Hub, frozen: Any, desks: dict[str, Desk]
) -> None:
    hospital, cam, police, school = desks["hospital"], desks["cam"], desks["police"], desks["school"]

    # A1: the district hospital refers him; the SOP's bodies and the school he attends are told.
    referral = hospital.post("/v1/referrals", ARKHAT, status=201)
    assert {rule: to for rule, (to, _) in told(referral).items()} == {
        "cam:N02": "gta-tko", "vse:SOP-POLICE": "ji-tko", "vse:SOP-CIM": "cim-tko",
        "vse:SOP-SOCIAL-PROTECTION": "socprot-tko", "vse:SOP-SCHOOL": "school-tko-auyl",
    }
    by_rule = {n["rule"]: n["id"] for n in referral["notices"]}
    for desk, rule in (("gta", "cam:N02"), ("police", "vse:SOP-POLICE"), ("cim", "vse:SOP-CIM"),
                       ("social_protection", "vse:SOP-SOCIAL-PROTECTION"), ("school", "vse:SOP-SCHOOL")):
        assert by_rule[rule] in desks[desk].notice_ids(), desk

    # What each told body sees of him: the least its purpose needs.
    pupil = school.get(f"/v1/referrals/{referral['id']}")
    assert pupil["content"]["child"]["given_name"] == "Arkhat" and pupil["recipient_agency"] == "cam-tko"
    assert {"concern", "referrer", "parents"}.isdisjoint(pupil["content"])
    desks["teacher"].get(f"/v1/referrals/{referral['id']}", status=404)  # the head is told, not the staff room
    offence = police.get(f"/v1/referrals/{referral['id']}")
    assert offence["content"]["concern"]["description"] and "categories" not in offence["content"]["child"]
    family = desks["social_protection"].get(f"/v1/referrals/{referral['id']}")
    assert family["content"]["parents"] and "description" not in family["content"]["concern"]

    # A2-A3: the CAM acknowledges (the hospital is told, N07), accepts, and its intake tells the investigator
    # (N06) and the NGO (N08).
    cam.post(f"/v1/referrals/{referral['id']}/acknowledge")
    case_id = cam.post(f"/v1/referrals/{referral['id']}/accept", status=201)["id"]
    for action in ("police_informed", "supporter_requested", "previous_referrals_checked"):
        cam.post(f"/v1/cases/{case_id}/intake-actions", {"action": action})
    assert {hospital.get(f"/v1/notices/{n}")["rule"] for n in hospital.notice_ids()} >= {"cam:N07"}
    [n06] = desks["investigator"].notice_ids()
    [n08] = desks["ngo"].notice_ids()

    # A4: the school's head answers: the section's training suspended, a bullying case opened.
    school.post(f"/v1/notices/{by_rule['vse:SOP-SCHOOL']}/acknowledge")
    school.post(f"/v1/notices/{by_rule['vse:SOP-SCHOOL']}/answer",
                {"answer": "action_taken", "note": "the section's training suspended; bullying case opened"})
    assert cam.get(f"/v1/notices/{by_rule['vse:SOP-SCHOOL']}")["answer"] == "action_taken"

    # A5: the NGO accepts the supporter request itself (cam N09).
    desks["ngo"].post(f"/v1/notices/{n08}/acknowledge")
    desks["ngo"].post(f"/v1/notices/{n08}/answer", {"answer": "accept"})
    assert cam.get(f"/v1/notices/{n08}")["answer"] == "accept"

    # A6: the inspection has not acknowledged its notice when its clock runs out: `hub escalate` tells the
    # hospital, the centre and the prosecutor, once, and the escalation names no child.
    due = datetime.fromisoformat(police.get(f"/v1/notices/{by_rule['vse:SOP-POLICE']}")["ack_due_at"])
    frozen.set(due - timedelta(minutes=1))
    assert [e for e in app.escalation.escalate_overdue() if str(e.subject_id) == by_rule["vse:SOP-POLICE"]] == []
    frozen.set(due + timedelta(minutes=1))
    raised = [e for e in app.escalation.escalate_overdue() if str(e.subject_id) == by_rule["vse:SOP-POLICE"]]
    assert len(raised) == 1 and {"hospital-tko", "cam-tko", "prosecutor-tko"} <= set(raised[0].notify)
    assert not [e for e in app.escalation.escalate_overdue() if str(e.subject_id) == by_rule["vse:SOP-POLICE"]]
    escalations = [i for i in desks["prosecutor"].inbox("escalated") if i["item_type"] == "escalation"]
    assert escalations and "Arkhat" not in json.dumps(escalations) and "Seitkaliev" not in json.dumps(escalations)

    # A7: the investigator answers N06 - a case registered, a joint planning meeting in three days.
    desks["investigator"].post(f"/v1/notices/{n06}/acknowledge")
    desks["investigator"].post(f"/v1/notices/{n06}/answer",
                               {"answer": "action_taken", "note": "criminal case registered; joint planning meeting"})
    assert cam.get(f"/v1/notices/{n06}")["answer"] == "action_taken"

    # A8: the initial assessment finds significant harm; the hospital learns the conclusion and nothing more.
    cam.post(f"/v1/cases/{case_id}/social-worker", {"social_worker": "d.kenzhebek", "evidence_of_harm": True})
    cam.post(f"/v1/cases/{case_id}/initial-assessment",
             {"outcome": "significant_harm_concern", "summary": "injuries consistent with his account"})
    sent = hospital.get(f"/v1/referrals/{referral['id']}")
    assert sent["assessment_conclusion"] and "content" not in sent

    # A9: his supporter conveys what he wants: his mother told only that he is safe. The centre hears it;
    # the school, the police and the CIM do not.
    desks["supporter"].post(f"/v1/cases/{case_id}/supporter/views",
                            {"capacity": "advocating_child_views", "views": "tell my mother only that I am safe"})
    assert "tell my mother only that I am safe" in json.dumps(
        [cam.get(f"/v1/notices/{n}") for n in cam.notice_ids()])
    for desk in ("school", "police", "cim"):
        seen = json.dumps([desks[desk].get(f"/v1/notices/{n}") for n in desks[desk].notice_ids("all")])
        assert "I am safe" not in seen, desk
    desks["school"].get(f"/v1/cases/{case_id}", status=404)

    # The centre sees where every notice of the referral stands.
    standing = told(cam.get(f"/v1/referrals/{referral['id']}"))
    assert standing["vse:SOP-SCHOOL"] == ("school-tko-auyl", "answered")
    assert standing["vse:SOP-POLICE"][1] == "created"  # escalated, still not acknowledged
