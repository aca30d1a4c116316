"""Family links (decision 0041): siblings referred at once, links recorded and taken back, each shown only to a body
the policy shows both children to; an adult survivor's report is an adult's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.api_support import assert_problem
from tests.builders import DOCTOR, INSPECTOR, MANAGER, OTHER_CENTRE, SCHOOL_PSYCHOLOGIST, SOCIAL_WORKER
from tests.journey_support import Desk
from tests.test_journey_adel import REPORT


def _referral(given_name: str, age: int) -> dict[str, Any]:
    return {
        "referrer": {"name": "M. Kim", "professional_title": "school psychologist"},
        "child": {"given_name": given_name, "family_name": "Akhmetov", "stated_age": age, "city": "almaty"},
        "concern": {"category": "neglect", "description": "left alone for days"},
        "consent": {"given": False},
    }


@pytest.fixture
def desks(app: Hub) -> Iterator[dict[str, Desk]]:
    with TestClient(create_app(app)) as client:
        people = {"school": SCHOOL_PSYCHOLOGIST, "cam": MANAGER, "social_worker": SOCIAL_WORKER, "police": INSPECTOR,
                  "elsewhere": OTHER_CENTRE, "doctor": DOCTOR}
        yield {name: Desk(client, app, actor) for name, actor in people.items()}


def _siblings(school: Desk, key: str = "family-7") -> Any:
    response = school.client.post(
        "/v1/referrals/siblings", headers={**school.headers, "Idempotency-Key": key},
        json={"referrals": [_referral("Arman", 8), _referral("Aliya", 11)], "reason": "two children of one flat"},
    )
    return response


def test_siblings_referred_at_once_are_one_referral_each_linked_and_a_repeat_makes_nothing_new(
    desks: dict[str, Desk]
) -> None:
    school, cam = desks["school"], desks["cam"]
    first = _siblings(school)
    assert first.status_code == 201, first.text
    arman, aliya = first.json()["referrals"]
    assert arman["recipient_agency"] == aliya["recipient_agency"] == "cam-almaty"
    assert arman["child_id"] != aliya["child_id"]
    [link] = school.get(f"/v1/children/{arman['child_id']}/family")
    assert (link["other_child_id"], link["relation"]) == (aliya["child_id"], "sibling")
    assert link["reason"] == "two children of one flat"
    [back] = cam.get(f"/v1/children/{aliya['child_id']}/family")
    assert back["other_child_id"] == arman["child_id"] and back["counterpart_id"] == link["id"]

    again = _siblings(school)
    assert again.status_code == 200 and again.headers["Idempotency-Replayed"] == "true"
    assert [r["id"] for r in again.json()["referrals"]] == [arman["id"], aliya["id"]]
    assert len(school.get(f"/v1/children/{arman['child_id']}/family")) == 1


def test_a_link_is_shown_only_to_a_body_that_sees_both_children_and_taking_it_back_is_recorded(
    app: Hub, desks: dict[str, Desk]
) -> None:
    school, cam, police, social_worker = desks["school"], desks["cam"], desks["police"], desks["social_worker"]
    elsewhere = desks["elsewhere"]
    mine = school.post("/v1/referrals", _referral("Arman", 8), status=201)
    theirs = police.post("/v1/referrals", _referral("Aliya", 11), status=201)
    a, b = mine["child_id"], theirs["child_id"]

    # The centre received both: it links them. The school and the police each referred one: neither sees the link.
    linked = cam.client.post(f"/v1/children/{a}/family", headers=cam.headers,
                             json={"other_child_id": b, "relation": "half_sibling", "reason": "same mother, per the GTA"})
    assert linked.status_code == 201, linked.text
    assert linked.json()["relation"] == "half_sibling" and linked.json()["recorded_by"] == "cam-almaty"
    [seen] = social_worker.get(f"/v1/children/{b}/family")
    assert seen["other_child_id"] == a and seen["reason"] == "same mother, per the GTA"
    app.views.current()
    [read] = [r for r in app.views.store.reads("record_type = ?", ["family_link"]) if r.user == SOCIAL_WORKER.user]
    assert (read.record_id, read.child_id, read.outcome) == (seen["id"], b, "granted") and "reason" in read.fields
    assert set(read.rules) == {"P-07", "FAMILY-LINK-RECIPIENT"}  # the managing centre, which received both
    assert school.get(f"/v1/children/{a}/family") == []
    assert police.get(f"/v1/children/{b}/family") == []
    again = cam.client.post(f"/v1/children/{a}/family", headers=cam.headers,
                            json={"other_child_id": b, "relation": "sibling", "reason": "again"})
    assert assert_problem(again, 409, "rule-violation")["rule"] == "already-linked"

    # A body may link only children it sees: to another region's centre they do not exist.
    elsewhere.post(f"/v1/children/{b}/family", {"other_child_id": a, "relation": "sibling", "reason": "heard so"},
                   status=404)

    # A wrong link is taken back by an event that says who and why; the record keeps that it was once made.
    removed = cam.post(f"/v1/children/{b}/family/{a}/remove", {"reason": "different mothers after all"})
    assert (removed["state"], removed["removed_by"], removed["removal_reason"]) == (
        "removed", "cam-almaty", "different mothers after all")
    assert [x["state"] for x in cam.get(f"/v1/children/{a}/family")] == ["removed"]
    cam.post(f"/v1/children/{b}/family/{a}/remove", {"reason": "twice"}, status=404)


def test_a_survivor_under_18_is_a_child_whose_own_report_is_a_referral(desks: dict[str, Desk]) -> None:
    school = desks["school"]
    young = {**REPORT, "survivor": {**REPORT["survivor"], "date_of_birth": None, "stated_age": 17}}
    response = school.client.post("/v1/survivor-reports", headers=school.headers, json=young)
    assert assert_problem(response, 422, "rule-violation")["rule"] == "L58-adult-survivor"


def test_the_duplicate_check_suggests_a_sibling_apart_from_the_same_child(desks: dict[str, Desk]) -> None:
    school, cam, police = desks["school"], desks["cam"], desks["police"]
    mother = [{"name": "Гульнара Ахметова", "relationship": "mother"}]
    school.post("/v1/referrals", {**_referral("Arman", 8), "parents": mother}, status=201)
    same = school.post("/v1/referrals", _referral("Арман", 8), status=201)
    sister = {**_referral("Aliya", 11), "parents": [{"name": "Gulnara Akhmetova", "relationship": "mother"}]}
    sister["child"] = {**sister["child"], "family_name": "Akhmetova"}
    new = police.post("/v1/referrals", sister, status=201)

    found = {c["child_id"]: c for c in cam.get(f"/v1/referrals/{new['id']}/duplicates")}
    [brother] = [c for c in found.values() if c["suggests"] == "sibling"]
    assert brother["matched"] == ["family_name", "city", "parents"] and "sibling" in brother["summary"]
    assert same["child_id"] not in found  # Arman without his mother named: a namesake, not a sibling

    # Acceptance records the same-child candidates only: a sibling is linked, never merged.
    cam.post(f"/v1/referrals/{new['id']}/acknowledge")
    cam.post(f"/v1/referrals/{new['id']}/accept", status=201)
    [check] = cam.get(f"/v1/referrals/{new['id']}")["duplicate_checks"]
    assert brother["child_id"] not in check["candidates"]


def test_a_child_expected_by_a_child_mother_is_recorded_through_her_and_confirmed_at_birth(
    frozen: Any, desks: dict[str, Desk]
) -> None:
    doctor = desks["doctor"]
    mother = {**_referral("Dana", 14), "referrer": {"name": "L. Abenova", "professional_title": "antenatal doctor"}}
    mother["concern"] = {"category": "sexual_violence", "description": "pregnant at 14", "urgency": "high"}
    dana = doctor.post("/v1/referrals", mother, status=201)["child_id"]
    due = (frozen.now() + timedelta(days=60)).date().isoformat()

    link = doctor.post(f"/v1/children/{dana}/expected-child", {"expected_on": due, "reason": "seen in antenatal care"},
                       status=201)
    assert (link["relation"], link["other_is"], link["other_child_id"]) == ("mother_infant", "mother", dana)
    expected = link["child_id"]
    record = doctor.get(f"/v1/children/{expected}")
    assert record["expected_on"] == due and record["age"] is None
    [back] = doctor.get(f"/v1/children/{dana}/family")
    assert (back["other_child_id"], back["other_is"]) == (expected, "infant")
    desks["cam"].get(f"/v1/children/{expected}", status=404)  # the mother's centre learns of it by a referral

    born = doctor.post(f"/v1/children/{expected}/birth", {"date_of_birth": frozen.now().date().isoformat(),
                                                           "given_name": "Amina", "sex": "female"})
    assert (born["expected_on"], born["age"], born["identity"]["given_name"]) == (None, 0, "Amina")
    doctor.post(f"/v1/children/{expected}/birth", {"date_of_birth": frozen.now().date().isoformat()}, status=409)
    infant = {**mother, "child": {"given_name": "Amina", "stated_age": 0, "city": "almaty"},
              "child_id": expected, "concern": {"category": "neglect", "description": "newborn of a 14-year-old"}}
    referral = doctor.post("/v1/referrals", infant, status=201)
    assert referral["child_id"] == expected and referral["recipient_agency"] == "gta-almaty"
    assert [x["other_child_id"] for x in doctor.get(f"/v1/children/{expected}/family")] == [dana]
