"""Bullying at school with a child on both sides (violence-system-evaluation S7, L3193-3207; decision 0050), over
HTTP, each body at its own desk. Daniyar (10) is beaten in the school toilets by Timur (14), who is himself beaten
at home. The school psychologist registers the case and records that the alleged perpetrator is a minor: Timur
gets a referral of his own for his protection needs. The school of both boys, the centre managing both and the
juvenile inspection see both boys and the tie between them; the NGO helping Daniyar's family and the doctor of
Timur's family each see their own boy and learn nothing of the other, not even that the other is a child they
could name. The S7 steps are recorded on the side of the boy they concern."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.api_support import assert_problem
from tests.builders import (
    DOCTOR,
    GTA_OFFICER,
    INSPECTOR,
    MANAGER,
    NGO_COORDINATOR,
    OTHER_CENTRE,
    SCHOOL_PSYCHOLOGIST,
    SCHOOL_TEACHER,
)
from tests.journey_support import Desk
from tests.web_support import signed_in

SCHOOL = "school-almaty-12"
REFERRER = {"name": "M. Kim", "professional_title": "school psychologist"}
DANIYAR = {
    "referrer": REFERRER,
    "child": {"given_name": "Daniyar", "family_name": "Bekov", "stated_age": 10, "city": "almaty", "school_agency": SCHOOL},
    "parents": [{"name": "Aigul Bekova", "relationship": "mother"}],
    "concern": {"category": "bullying", "description": "beaten and humiliated in the toilets by an older pupil, weekly"},
    "consent": {"given": True, "by": ["parent"]},
}
TIMUR = {
    "referrer": REFERRER,
    "child": {"given_name": "Timur", "family_name": "Sadykov", "stated_age": 14, "city": "almaty", "school_agency": SCHOOL},
    "parents": [{"name": "Marat Sadykov", "relationship": "father"}],
    "concern": {"category": "physical_violence", "description": "bruises on his back; says his father beats him since "
                "his mother left", "care_situation": "father alone, drinks"},
    "consent": {"given": False},
}
PERPETRATOR = {"perpetrator": TIMUR, "setting": "school", "reason": "hit Daniyar repeatedly in the toilets since October"}


@pytest.fixture
def desks(app: Hub) -> Iterator[dict[str, Desk]]:
    with TestClient(create_app(app)) as client:
        people = {"school": SCHOOL_PSYCHOLOGIST, "teacher": SCHOOL_TEACHER, "cam": MANAGER, "police": INSPECTOR,
                  "gta": GTA_OFFICER, "ngo": NGO_COORDINATOR, "doctor": DOCTOR, "elsewhere": OTHER_CENTRE}
        yield {name: Desk(client, app, actor) for name, actor in people.items()}


def _recorded(school: Desk, key: str = "s7-daniyar") -> tuple[dict[str, Any], dict[str, Any]]:
    """Daniyar registered by the school psychologist, and Timur recorded on his referral as the alleged perpetrator."""
    daniyar = school.post("/v1/referrals", DANIYAR, status=201)
    response = school.client.post(f"/v1/referrals/{daniyar['id']}/minor-perpetrator", json=PERPETRATOR,
                                  headers={**school.headers, "Idempotency-Key": key})
    assert response.status_code == 201, response.text
    return daniyar, response.json()


def _consent(cam: Desk, referral: dict[str, Any], recipient: str) -> None:
    """The centre accepts the referral and records the parent's written consent to share the boy's file (P-05)."""
    cam.post(f"/v1/referrals/{referral['id']}/acknowledge")
    cam.post(f"/v1/referrals/{referral['id']}/accept", status=201)
    cam.post(f"/v1/children/{referral['child_id']}/consents", {"purpose": "information_sharing", "recipient": recipient,
                                                   "signatories": ["child", "parent"], "child_mature": True})


def test_s7_both_boys_with_their_own_needs_and_the_steps_each_on_his_own_side(frozen: Any, desks: dict[str, Desk]) -> None:
    school, cam, police = desks["school"], desks["cam"], desks["police"]

    # Registered by the school psychologist (L3193); the alleged perpetrator is a minor with needs of his own.
    daniyar, recorded = _recorded(school)
    timur = recorded["referral"]
    assert timur["recipient_agency"] == "cam-almaty" and timur["child_id"] != daniyar["child_id"]
    side = recorded["involvement"]
    assert (side["child_id"], side["other_child_id"], side["other_minor"], side["setting"]) == (
        daniyar["child_id"], timur["child_id"], "alleged_perpetrator", "school")
    again = school.client.post(f"/v1/referrals/{daniyar['id']}/minor-perpetrator", json=PERPETRATOR,
                               headers={**school.headers, "Idempotency-Key": "s7-daniyar"})
    assert again.status_code == 200 and again.headers["Idempotency-Replayed"] == "true"
    assert again.json()["referral"]["id"] == timur["id"] and again.json()["involvement"]["id"] == side["id"]

    # Each referral says that another minor is in the matter, and as what: nothing of who.
    assert school.get(f"/v1/referrals/{daniyar['id']}")["another_minor"] == "alleged_perpetrator"
    assert school.get(f"/v1/referrals/{timur['id']}")["another_minor"] == "harmed"

    # The centre receives Timur's referral as any: his own needs, his father, none of Daniyar's file.
    his = cam.get(f"/v1/referrals/{timur['id']}")
    assert "his father beats him" in his["content"]["concern"]["description"]
    assert his["content"]["parents"] == [{"name": "Marat Sadykov", "relationship": "father", "address": None,
                                          "phone": None, "languages": [], "interpreter_needed": False}]

    # The school of both, the centre managing both and the juvenile inspection see the pair, from either side.
    for desk in (school, cam, police):
        [here] = desk.get(f"/v1/children/{daniyar['child_id']}/involvements")
        [there] = desk.get(f"/v1/children/{timur['child_id']}/involvements")
        assert (here["other_child_id"], there["other_child_id"]) == (timur["child_id"], daniyar["child_id"])
        assert (there["other_minor"], there["counterpart_id"]) == ("harmed", here["id"])
        assert (here["other_referral_id"], there["other_referral_id"]) == (timur["id"], daniyar["id"])  # 0062
    assert school.get(f"/v1/children/{timur['child_id']}")["identity"]["given_name"] == "Timur"
    assert "father beats him" in police.get(f"/v1/referrals/{timur['id']}")["content"]["concern"]["description"]

    # Psychological help to Daniyar; each boy's parents met, each meeting written in that boy's file only.
    steps = f"/v1/children/{daniyar['child_id']}/involvements/{side['id']}/steps"
    school.post(steps, {"step": "psychological_help", "note": "weekly sessions with the school psychologist"})
    school.post(steps, {"step": "parents_met", "note": "met Aigul Bekova, Daniyar's mother"})
    his_steps = f"/v1/children/{timur['child_id']}/involvements/{there['id']}/steps"
    school.post(his_steps, {"step": "parents_met", "note": "met Marat Sadykov, Timur's father"})
    # At school, the school's inspector is called and documents it (L3207).
    school.post(steps, {"step": "inspector_called", "note": "asked the school inspector to document"})
    police.post(steps, {"step": "violence_documented", "note": "bruises photographed; two witnesses heard"})
    # The psychologist monitors Daniyar for a period (L3201): until a day, and only monitoring has one.
    until = (frozen.now() + timedelta(days=90)).date().isoformat()
    problem = school.client.post(steps, json={"step": "monitoring", "note": "checks"}, headers=school.headers)
    assert assert_problem(problem, 422, "monitoring-until")
    monitored = school.post(steps, {"step": "monitoring", "note": "checks every two weeks", "until": until})
    assert [(s["step"], s["by_agency"]) for s in monitored["steps"]] == [
        ("psychological_help", SCHOOL), ("parents_met", SCHOOL), ("inspector_called", SCHOOL),
        ("violence_documented", "ji-almaty"), ("monitoring", SCHOOL)]
    assert monitored["steps"][-1]["until"] == until
    notes = " ".join(s["note"] for s in monitored["steps"])
    assert "Marat" not in notes and "Timur" not in notes
    [timur_side] = cam.get(f"/v1/children/{timur['child_id']}/involvements")
    assert [s["note"] for s in timur_side["steps"]] == ["met Marat Sadykov, Timur's father"]


def test_each_family_s_side_sees_its_own_boy_and_nothing_of_the_other(app: Hub, desks: dict[str, Desk]) -> None:
    school, cam, ngo, doctor, gta = desks["school"], desks["cam"], desks["ngo"], desks["doctor"], desks["gta"]
    daniyar, recorded = _recorded(school)
    timur, side = recorded["referral"], recorded["involvement"]
    # Daniyar's parents take him to an NGO's psychologist; Timur's father agrees that his doctor sees his file.
    _consent(cam, daniyar, "ngo-rodnik")
    _consent(cam, timur, "hospital-almaty-1")

    # The NGO helping Daniyar's family sees Daniyar, and not Timur: not his referral, his record, nor the tie.
    assert ngo.get(f"/v1/children/{daniyar['child_id']}")["identity"]["given_name"] == "Daniyar"
    assert "another_minor" not in ngo.get(f"/v1/referrals/{daniyar['id']}")
    assert ngo.get(f"/v1/children/{daniyar['child_id']}/involvements") == []
    ngo.get(f"/v1/referrals/{timur['id']}", status=404)
    ngo.get(f"/v1/children/{timur['child_id']}", status=404)
    ngo.get(f"/v1/children/{timur['child_id']}/involvements", status=404)

    # The reverse: Timur's doctor sees Timur's protection needs, and nothing of Daniyar.
    assert "father beats him" in doctor.get(f"/v1/referrals/{timur['id']}")["content"]["concern"]["description"]
    assert doctor.get(f"/v1/children/{timur['child_id']}/involvements") == []
    doctor.get(f"/v1/referrals/{daniyar['id']}", status=404)
    doctor.get(f"/v1/children/{daniyar['child_id']}", status=404)

    # The GTA is told of each referral as of any (P-03a), and not that the two are tied; nor is a teacher.
    assert gta.get(f"/v1/referrals/{timur['id']}")["child_id"] == timur["child_id"]
    assert gta.get(f"/v1/children/{daniyar['child_id']}/involvements") == []
    assert desks["teacher"].get(f"/v1/children/{daniyar['child_id']}/involvements") == []
    # Nor may they write on the tie: a step on a pair a body is not shown is answered as on none.
    steps = f"/v1/children/{daniyar['child_id']}/involvements/{side['id']}/steps"
    gta.post(steps, {"step": "parents_met", "note": "x"}, status=403)
    desks["police"].post(f"/v1/children/{timur['child_id']}/involvements/{side['id']}/steps",
                         {"step": "parents_met", "note": "x"}, status=404)  # Daniyar's side is not Timur's

    # Every pair shown is a recorded read, under the rule that showed it.
    app.views.current()
    reads = [r for r in app.views.store.reads("record_type = ?", ["involvement"]) if r.user == SCHOOL_PSYCHOLOGIST.user]
    assert reads and all("INVOLVEMENT-SCHOOL" in r.rules for r in reads)


def test_the_centre_s_page_says_another_minor_is_in_the_matter_in_its_language(app: Hub, desks: dict[str, Desk]) -> None:
    daniyar, recorded = _recorded(desks["school"])
    client = desks["cam"].client
    signed_in(client, app, MANAGER)
    harmed = client.get(f"/ui/referrals/{daniyar['id']}?lang=en").text
    assert "The alleged perpetrator is a minor" in harmed and "Timur" not in harmed
    his = client.get(f"/ui/referrals/{recorded['referral']['id']}?lang=ru").text
    # The referral names nobody; the centre, shown both boys, reads the tie below it, in the recorder's words (0060).
    referral, tie = his.split('id="involvements-heading"')
    assert "причинил вред другому несовершеннолетнему" in referral and "Daniyar" not in referral
    assert PERPETRATOR["reason"] in tie


def test_the_perpetrator_is_recorded_only_on_a_referral_the_caller_sees_and_is_another_child(
    desks: dict[str, Desk]
) -> None:
    school, cam = desks["school"], desks["cam"]
    daniyar = school.post("/v1/referrals", DANIYAR, status=201)
    desks["elsewhere"].post(f"/v1/referrals/{daniyar['id']}/minor-perpetrator", PERPETRATOR, status=404)
    desks["ngo"].post(f"/v1/referrals/{daniyar['id']}/minor-perpetrator", PERPETRATOR, status=403)
    himself = {**PERPETRATOR, "perpetrator": {**TIMUR, "child_id": daniyar["child_id"]}}
    problem = cam.client.post(f"/v1/referrals/{daniyar['id']}/minor-perpetrator", json=himself, headers=cam.headers)
    assert assert_problem(problem, 422, "same-child")
    adult = {**PERPETRATOR, "perpetrator": {**TIMUR, "child": {**TIMUR["child"], "stated_age": 19}}}
    problem = cam.client.post(f"/v1/referrals/{daniyar['id']}/minor-perpetrator", json=adult, headers=cam.headers)
    assert problem.status_code == 422  # an adult is no minor: his is no referral (L58-adult)

    # A child the hub knows already is named by id: his own record, a new referral of his.
    known = cam.post("/v1/referrals", TIMUR, status=201)
    named = {**PERPETRATOR, "perpetrator": {**TIMUR, "child_id": known["child_id"]}}
    recorded = cam.post(f"/v1/referrals/{daniyar['id']}/minor-perpetrator", named, status=201)
    assert recorded["referral"]["child_id"] == known["child_id"] and recorded["referral"]["id"] != known["id"]
    assert recorded["involvement"]["other_child_id"] == known["child_id"]
    # The juvenile inspection reads the referral of the matter, not the boy's earlier, unrelated one.
    police = desks["police"]
    assert police.get(f"/v1/referrals/{recorded['referral']['id']}")["another_minor"] == "harmed"
    police.get(f"/v1/referrals/{known['id']}", status=404)


def test_a_school_sees_the_tie_only_where_both_boys_are_its_pupils(desks: dict[str, Desk]) -> None:
    school, cam = desks["school"], desks["cam"]
    daniyar = school.post("/v1/referrals", DANIYAR, status=201)
    elsewhere = {**TIMUR, "child": {**TIMUR["child"], "school_agency": None, "school": "School No. 40"}}
    recorded = school.post(f"/v1/referrals/{daniyar['id']}/minor-perpetrator", {**PERPETRATOR, "perpetrator": elsewhere},
                           status=201)
    # Shown Daniyar's side (its pupil) and not Timur's (another school's): the school is shown no tie at all.
    assert recorded["involvement"] == {} and recorded["referral"]["another_minor"] == "harmed"
    assert school.get(f"/v1/children/{daniyar['child_id']}/involvements") == []
    [seen] = cam.get(f"/v1/children/{daniyar['child_id']}/involvements")
    assert seen["other_child_id"] == recorded["referral"]["child_id"]
