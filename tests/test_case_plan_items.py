"""A plan with goals, services and who is responsible (cam-csc-manual 8.8.3, Annex H §4, 8.10.3, Annex I §4;
docs/decisions/0052): the managing centre reads every item, each responsible body is told of its own items and
nothing of the rest, the items are sealed like the plan's text, and a plan recorded as one text still reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from hub.aggregates.case import Case
from hub.aggregates.case_plan import PlanItem
from hub.api.app import create_app
from hub.errors import GuardViolation, NotFound
from tests.api_support import bearer
from tests.builders import DOCTOR, GTA_OFFICER, MANAGER, NGO_COORDINATOR, SCHOOL_PSYCHOLOGIST
from tests.scenario import APPROVERS, drive_to, notices_about, refused

SCHOOL_TASK = PlanItem("Aziz attends school every day", "daily attendance check and a weekly talk with the psychologist",
                       "school-almaty-12", "M. Kim", frequency="weekly")
NGO_TASK = PlanItem("The mother copes without shouting", "parenting course, 8 sessions", "ngo-rodnik",
                    due=date(2027, 2, 1))
MOTHER_TASK = PlanItem("Aziz is home by 8 pm", "the mother sets and keeps a curfew", "parent", frequency="daily")


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def _told(app, case, rule):
    return {n.recipient_agency: n for n in notices_about(app, case) if n.rule == rule}


def test_each_responsible_body_is_told_its_own_items_and_the_centre_reads_the_whole_plan(app):
    case = drive_to(app, "cp_plan_drafting")
    app.cases.finalise_protection_plan(MANAGER, case.id, "risk: neglect at home; review within 30 days", True, None,
                                       [SCHOOL_TASK, NGO_TASK, MOTHER_TASK])

    plan = app.reads.show(MANAGER, "case", case.id)["plan"]
    assert plan["summary"] == "risk: neglect at home; review within 30 days"
    assert [(i["responsible"], i.get("due"), i.get("frequency")) for i in plan["items"]] == [
        ("school-almaty-12", None, "weekly"), ("ngo-rodnik", "2027-02-01", None), ("parent", None, "daily")]

    tasks = _told(app, case, "hub:PLAN-ACTIONS")
    assert sorted(tasks) == ["ngo-rodnik", "school-almaty-12"]  # the parent is not a body of the hub
    school = app.reads.show(SCHOOL_PSYCHOLOGIST, "notice", tasks["school-almaty-12"].id)
    assert school["plan_items"] == [SCHOOL_TASK.stored()]  # not the NGO's item, nor the mother's
    assert "weekly talk" in school["reason"] and "M. Kim" in school["reason"]
    assert "parenting course" not in school["reason"] and "curfew" not in school["reason"]
    ngo = app.reads.show(NGO_COORDINATOR, "notice", tasks["ngo-rodnik"].id)
    assert ngo["plan_items"] == [{**NGO_TASK.stored(), "due": "2027-02-01"}]
    assert "parenting course" in ngo["reason"] and "2027-02-01" in ngo["reason"] and "weekly talk" not in ngo["reason"]
    seen = app.reads.show(NGO_COORDINATOR, "case", case.id)
    assert seen["case_number"] == case.case_number and "plan" not in seen  # the case's number, not the plan

    whole = app.reads.show(GTA_OFFICER, "notice", _told(app, case, "cam:N32")["gta-almaty"].id)
    assert "neglect at home" in whole["reason"] and [i["task"] for i in whole["plan_items"]] == [
        SCHOOL_TASK.task, NGO_TASK.task, MOTHER_TASK.task]
    assert "weekly talk" in whole["reason"] and "curfew" in whole["reason"]
    assert app.reads.show(GTA_OFFICER, "case", case.id)["plan"]["items"][1]["task"] == "parenting course, 8 sessions"
    with pytest.raises(NotFound):
        app.reads.show(DOCTOR, "case", case.id)  # neither told nor responsible


def test_a_care_plan_and_an_amendment_tell_the_bodies_their_items_again(app, frozen):
    case = drive_to(app, "care_plan_drafting")
    app.cases.develop_care_plan(MANAGER, case.id, "foster care; reunification assessed", list(APPROVERS), [NGO_TASK])
    gta = app.reads.show(GTA_OFFICER, "notice", _told(app, case, "cam:N36")["gta-almaty"].id)
    assert [i["task"] for i in gta["plan_items"]] == ["parenting course, 8 sessions"]
    assert list(_told(app, case, "hub:PLAN-ACTIONS")) == ["ngo-rodnik"]

    active = drive_to(app, "cp_plan_active")
    app.cases.review_protection_plan(MANAGER, active.id, "amend", "the school is needed too", None)
    app.cases.amend_plan(MANAGER, active.id, "amended: school attendance added", [SCHOOL_TASK])
    assert app.reads.show(MANAGER, "case", active.id)["plan"]["summary"] == "amended: school attendance added"
    assert list(_told(app, active, "hub:PLAN-ACTIONS")) == ["school-almaty-12"]


def test_an_item_names_a_registered_body_or_one_of_the_family_and_says_when(app):
    case = drive_to(app, "cp_plan_drafting")
    stranger = PlanItem("x", "y", "school-nowhere-1", frequency="weekly")
    with refused(app, GuardViolation, "plan-item-responsible"):
        app.cases.finalise_protection_plan(MANAGER, case.id, "plan", True, None, [stranger])
    with pytest.raises(GuardViolation, match="by when or how often"):
        PlanItem("x", "y", "parent")


def test_the_items_are_sealed_with_the_child_s_key(app):
    case = drive_to(app, "cp_plan_drafting")
    app.cases.finalise_protection_plan(MANAGER, case.id, "plan", True, None, [NGO_TASK])
    stored = b"".join(e.state for e in app.store.recorder.select_events(case.id))
    assert b"parenting course" not in stored and b"ngo-rodnik" not in stored


def test_a_plan_recorded_as_one_text_before_items_existed_still_loads_and_shows(app):
    case = drive_to(app, "cp_plan_active")  # finalised with no items
    events = list(app.store.events.get(case.id))
    for old in events:
        vars(old).pop("plan_items", None)  # as stored before decision 0052
    stored = [app.store.mapper.to_stored_event(e) for e in events]
    folded: Case | None = None
    for e in stored:
        folded = app.store.mapper.to_domain_event(e).mutate(folded)
    assert folded is not None and folded.plan is not None
    assert (folded.plan["summary"], folded.plan["items"]) == ("plan", [])


def test_over_http_the_old_body_and_the_new_one_are_both_taken(app, client):
    old, new = drive_to(app, "cp_plan_drafting"), drive_to(app, "cp_plan_drafting")
    headers = bearer(app, MANAGER)
    answer = client.post(f"/v1/cases/{old.id}/protection-plan", json={"plan": "one text", "parent_agreed": True},
                         headers=headers)
    assert answer.status_code == 200, answer.text
    item = {"goal": "safe at school", "task": "daily check", "responsible": "school-almaty-12", "responsible_person": "M. Kim",
            "frequency": "daily"}
    answer = client.post(f"/v1/cases/{new.id}/protection-plan",
                         json={"plan": "summary", "parent_agreed": True, "items": [item]}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert client.get(f"/v1/cases/{new.id}", headers=headers).json()["plan"]["items"] == [item]
    unsaid = client.post(f"/v1/cases/{drive_to(app, 'cp_plan_drafting').id}/protection-plan", headers=headers,
                         json={"plan": "s", "parent_agreed": True, "items": [{**item, "frequency": None}]})
    assert unsaid.status_code == 422 and unsaid.json()["rule"] == "plan-item-when"
