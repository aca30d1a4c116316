"""Adel's journey (violence-system-evaluation §3.1), over HTTP, each body at its own desk: at 18 she tells a trained
health provider of twelve years of abuse by her stepfather (L2804), who still lives with her four younger
half-siblings (L2844). Her report is recorded as an adult survivor's, not refused as a referral; the concern for
each half-sibling, one under 3, is referred at once, each routed and timed as any referral, and linked to the
others and to her record. The siblings' school and centre never see her file. (decision 0041.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.builders import DOCTOR, GTA_OFFICER, MANAGER, SOCIAL_WORKER
from tests.journey_support import Desk

SCHOOL_HEAD = Actor("school-almaty-12", "director", "a.bekova")
ACCOUNT = "From the age of six her stepfather touched her, raped her at thirteen, and threatened to kill her mother."
HALF_SIBLINGS = [
    {"given_name": "Aruzhan", "family_name": "Serikova", "stated_age": 12, "sex": "female", "city": "almaty",
     "school": "School No. 12", "school_agency": "school-almaty-12"},
    {"given_name": "Timur", "family_name": "Serikov", "stated_age": 9, "sex": "male", "city": "almaty",
     "school": "School No. 12", "school_agency": "school-almaty-12"},
    {"given_name": "Dias", "family_name": "Serikov", "stated_age": 6, "sex": "male", "city": "almaty"},
    {"given_name": "Aisha", "family_name": "Serikova", "stated_age": 2, "sex": "female", "city": "almaty"},
]
REPORT = {
    "referrer": {"name": "L. Abenova", "professional_title": "doctor, trained in violence response"},
    "survivor": {"given_name": "Adel", "family_name": "Nurova", "sex": "female", "date_of_birth": "2008-01-15",
                 "city": "almaty"},
    "account": ACCOUNT,
    "abuser": {"name": "Serik Serikov", "relationship": "stepfather"},
    "siblings": HALF_SIBLINGS,
    "sibling_concern": {
        "category": "sexual_violence", "urgency": "high",
        "description": "Lives with a man an adult half-sister reports abused her for twelve years from the age of six.",
    },
    "parents": [{"name": "Gulmira Nurova", "relationship": "mother"},
                {"name": "Serik Serikov", "relationship": "father; the person accused"}],
    "consent": {"given": False, "note": "the parents are not asked: the father is the person accused"},
}


@pytest.fixture
def desks(app: Hub) -> Iterator[dict[str, Desk]]:
    with TestClient(create_app(app)) as client:
        people = {"hospital": DOCTOR, "cam": MANAGER, "social_worker": SOCIAL_WORKER, "gta": GTA_OFFICER,
                  "school": SCHOOL_HEAD}
        yield {name: Desk(client, app, actor) for name, actor in people.items()}


def test_adel_at_18_her_half_siblings_referred_at_once_linked_and_her_file_kept_from_their_school(
    app: Hub, frozen: Any, desks: dict[str, Desk]
) -> None:
    hospital, cam, gta, school = desks["hospital"], desks["cam"], desks["gta"], desks["school"]

    # 2019, at 18: a referral about her is refused as ever (L58-adult)...
    adult = {"referrer": REPORT["referrer"], "child": {**REPORT["survivor"]}, "concern": REPORT["sibling_concern"],
             "consent": {"given": True, "by": ["child"]}}
    refused = hospital.client.post("/v1/referrals", json=adult, headers=hospital.headers)
    assert refused.status_code == 422 and "L58-adult" in refused.text

    # ...and her report is recorded as a survivor's, raising a referral for each half-sibling, in one transaction.
    recorded = hospital.post("/v1/survivor-reports", REPORT, status=201)
    report, referrals = recorded["report"], recorded["referrals"]
    assert report["account"] == ACCOUNT and report["abuser"]["relationship"] == "stepfather"
    adel = report["child_id"]
    siblings = report["sibling_child_ids"]
    assert [r["child_id"] for r in referrals] == siblings and adel not in siblings
    # Each routed as any referral: the under-3 to the GTA (a CAM takes children from 3), the others to the CAM.
    assert [r["recipient_agency"] for r in referrals] == ["cam-almaty", "cam-almaty", "cam-almaty", "gta-almaty"]
    assert all(ACCOUNT not in json.dumps(r) for r in referrals)  # her account stays in her report

    # The body that took her report sees her record linked to each half-sibling, and each to the others.
    to_adel = hospital.get(f"/v1/children/{adel}/family")
    assert sorted(link["other_child_id"] for link in to_adel) == sorted(siblings)
    assert {link["relation"] for link in to_adel} == {"half_sibling"}
    of_aruzhan = {link["other_child_id"]: link["relation"] for link in hospital.get(f"/v1/children/{siblings[0]}/family")}
    assert of_aruzhan == {adel: "half_sibling", **{s: "sibling" for s in siblings[1:]}}

    # The centre sees the siblings it received linked to each other - not her, nor a child it does not see.
    cam_links = {link["other_child_id"] for link in cam.get(f"/v1/children/{siblings[0]}/family")}
    assert cam_links == set(siblings[1:3])
    cam.get(f"/v1/children/{adel}", status=404)
    cam.get(f"/v1/children/{adel}/family", status=404)
    cam.get(f"/v1/survivor-reports/{report['id']}", status=404)

    # The siblings' school is told of its pupils (the health SOP, L1631) and of nothing else: not her file, not a link.
    pupils = [r["id"] for r in referrals[:2]]
    told_school = {i["item_id"] for i in school.inbox("notices")}
    assert len(told_school) == 2
    for notice_id in told_school:
        notice = school.get(f"/v1/notices/{notice_id}")
        assert notice["record_id"] in pupils
    seen = school.get(f"/v1/referrals/{pupils[0]}")
    assert seen["content"]["child"]["given_name"] == "Aruzhan" and "concern" not in seen["content"]
    assert school.get(f"/v1/children/{siblings[0]}/family") == []  # its pupil, but not her sister's links
    school.get(f"/v1/children/{adel}/family", status=404)
    school.get(f"/v1/children/{adel}", status=404)
    school.get(f"/v1/survivor-reports/{report['id']}", status=404)
    everything = json.dumps([school.get(f"/v1/referrals/{p}") for p in pupils])
    assert ACCOUNT not in everything and "Adel" not in everything and adel not in everything

    # Every referral acknowledged within its deadline or escalated: the CAM acknowledges its three at once; the
    # GTA does not, and `hub escalate` raises it when the clock runs out.
    for referral in referrals[:3]:
        assert cam.post(f"/v1/referrals/{referral['id']}/acknowledge")["state"] == "acknowledged"
    assert gta.post(f"/v1/referrals/{referrals[3]['id']}/acknowledge")["state"] == "acknowledged"
    gta_told = {n["id"]: r["child_id"] for r in referrals for n in r["notices"] if n["rule"] == "cam:N02"}
    assert set(gta_told.values()) == set(siblings[:3])  # the GTA is told of each referral to the CAM (N02)
    dias_notice = next(n for n, child in gta_told.items() if child == siblings[2])
    for notice_id in set(gta_told) - {dias_notice}:
        gta.post(f"/v1/notices/{notice_id}/acknowledge")

    frozen.advance(timedelta(hours=24, minutes=1))
    raised = {(str(e.subject_id), e.deadline_id) for e in app.escalation.escalate_overdue()}
    # The notice left unacknowledged is escalated; the CAM's intake clocks (D03: acknowledging is not the intake)
    # too, for the centre to act on; nothing acknowledged in time is.
    assert (dias_notice, "cam:N02") in raised
    assert {(r["id"], "D03") for r in referrals[:3]} <= raised
    assert not {subject for subject, _ in raised} & (set(gta_told) - {dias_notice})
    escalations = [i for i in gta.inbox("escalated") if i["item_type"] == "escalation"]
    assert escalations and "Adel" not in json.dumps(escalations) and ACCOUNT not in json.dumps(escalations)
