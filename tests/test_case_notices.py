"""The case steps that tell other bodies (cam-csc-manual §6 N14-N38, docs/decisions/0037): each step the manager
records raises the manual's notice to exactly the bodies it names, on its clock, and lets each read exactly what
the notice carries; nobody else learns anything.

Dana's journey (violence evaluation §3.4, design notes §8.2 D7, D9): the manager decides she must be removed
(the GTA and the juvenile inspection are told within the hour), then recommends family-based care.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from hub.aggregates.case_vocabulary import MeetingKind
from hub.aggregates.vocabulary import PlacementType
from hub.api.app import create_app
from hub.errors import GuardViolation, NotFound
from tests.api_support import assert_problem, bearer
from tests.builders import (
    CIM_OFFICER,
    GTA_OFFICER,
    INSPECTOR,
    INVESTIGATOR,
    MANAGER,
    NGO_COORDINATOR,
    PROSECUTOR,
    SCHOOL_PSYCHOLOGIST,
    SOCIAL_WORKER,
)
from tests.scenario import drive_to, notices_about, open_case, refused, submit, told

HOUR = timedelta(hours=1)


def _raised(app, case, rule):
    return [n for n in notices_about(app, case) if n.rule == rule]


def test_a_removal_decided_tells_the_gta_and_the_juvenile_inspection_within_the_hour(app, frozen):
    case = open_case(app)
    app.cases.decide_removal(MANAGER, case.id, "the landlord's family threaten her at the house")
    assert [(a, r) for a, _, r in told(app, case)] == [("gta-almaty", "cam:N14"), ("ji-almaty", "cam:N15")]
    for notice in notices_about(app, case):
        assert notice.urgent and notice.ack_due_at == frozen.now() + HOUR, notice.rule
    # The GTA reads why; the inspection reads where the child is, not why the centre decided.
    gta = app.reads.show(GTA_OFFICER, "case", case.id)
    assert gta["removal_decision"]["reasons"] == "the landlord's family threaten her at the house"
    police = app.reads.show(INSPECTOR, "case", case.id)
    assert "removal_decision" not in police and police["id"] == str(case.id)
    with pytest.raises(NotFound):
        app.reads.show(SCHOOL_PSYCHOLOGIST, "case", case.id)


def test_a_removal_cannot_be_decided_twice_nor_for_a_child_already_removed(app):
    case = open_case(app)
    with refused(app, GuardViolation, "reasons-required"):
        app.cases.decide_removal(MANAGER, case.id, "   ")
    app.cases.decide_removal(MANAGER, case.id, "threatened")
    with refused(app, GuardViolation, "removal-decided"):
        app.cases.decide_removal(MANAGER, case.id, "again")
    app.cases.record_placement(INSPECTOR, case.id, PlacementType.REMOVED_TEMPORARY_PROTECTION, "act 12")
    with refused(app, GuardViolation, "already-removed"):
        app.cases.decide_removal(MANAGER, case.id, "again")
    # The removal itself tells the prosecutor (N16), as before.
    assert [a for a, _, r in told(app, case) if r == "cam:N16"] == ["prosecutor-almaty"]


def test_a_placement_recommendation_goes_to_the_gta_and_to_the_cim_only_when_the_manager_says(app):
    case = open_case(app)
    app.cases.recommend_placement(MANAGER, case.id, PlacementType.TEMPORARY_FAMILY_BASED, "infant with her", False)
    assert [(a, r) for a, _, r in told(app, case)] == [("gta-almaty", "cam:N17")]
    other = open_case(app)
    app.cases.recommend_placement(MANAGER, other.id, PlacementType.TEMPORARY_FAMILY_BASED, "with an aunt", True)
    assert sorted(a for a, _, r in told(app, other)) == ["cim-almaty", "gta-almaty"]
    seen = app.reads.show(CIM_OFFICER, "case", other.id)
    assert seen["placement_recommendation"]["placement"] == "temporary_care_family_based"
    assert "intake_actions" not in seen and "social_worker" not in seen
    with pytest.raises(NotFound):
        app.reads.show(CIM_OFFICER, "case", case.id)  # not told of the first child


def test_a_child_in_the_residential_unit_recommended_family_care_is_the_n19_notice_not_n17(app):
    case = open_case(app)
    app.cases.record_placement(GTA_OFFICER, case.id, PlacementType.CAM_CSC_RESIDENTIAL_UNIT, "GTA-7")
    app.cases.recommend_placement(MANAGER, case.id, PlacementType.TEMPORARY_FAMILY_BASED, "a foster family", False)
    assert [r for a, _, r in told(app, case) if a == "gta-almaty" and r in ("cam:N17", "cam:N19")] == ["cam:N19"]
    with refused(app, GuardViolation, "placement-recommended"):
        app.cases.recommend_placement(MANAGER, case.id, PlacementType.REMOVED_TEMPORARY_PROTECTION, "x", False)


def test_a_child_protection_meeting_invites_exactly_the_bodies_named_with_reports_due_before_it(app, frozen):
    case = drive_to(app, "cp_meeting_pending")
    meeting_at = frozen.now() + timedelta(days=3)  # Thursday 09:00, a week without holidays
    app.cases.schedule_meeting(SOCIAL_WORKER, case.id, uuid.uuid4(), MeetingKind.CHILD_PROTECTION_MEETING, meeting_at,
                               "CAM, room 2", ["police-inv-almaty", "school-almaty-12", "gta-almaty"])
    invited = _raised(app, case, "cam:N28")
    assert sorted((n.recipient_agency, n.recipient_role) for n in invited) == [
        ("gta-almaty", "officer"), ("police-inv-almaty", "investigator"), ("school-almaty-12", "director")]
    # Written reports 2 working days before the meeting (cam N28), counted back from it.
    assert {n.answer_due_at for n in invited} == {meeting_at - timedelta(days=2)}
    seen = app.reads.show(INVESTIGATOR, "case", case.id)
    assert seen["meetings"][0]["venue"] == "CAM, room 2" and "social_worker" not in seen
    with pytest.raises(NotFound):
        app.reads.show(CIM_OFFICER, "case", case.id)  # not invited, not told


def test_a_meeting_is_convened_only_in_its_turn_in_the_future_with_known_bodies(app, frozen):
    case = drive_to(app, "cp_meeting_pending")
    later = frozen.now() + timedelta(days=2)
    with refused(app, GuardViolation, "meeting-out-of-turn"):
        app.cases.schedule_meeting(MANAGER, case.id, uuid.uuid4(), MeetingKind.CARE_PLAN_REVIEW, later, "CAM", ["gta-almaty"])
    with refused(app, GuardViolation, "meeting-in-the-past"):
        app.cases.schedule_meeting(MANAGER, case.id, uuid.uuid4(), MeetingKind.CHILD_PROTECTION_MEETING,
                                   frozen.now() - HOUR, "CAM", ["gta-almaty"])
    with refused(app, GuardViolation, "invitee-unknown"):
        app.cases.schedule_meeting(MANAGER, case.id, uuid.uuid4(), MeetingKind.CHILD_PROTECTION_MEETING, later, "CAM",
                                   ["gta-astana"])  # another city's body
    with refused(app, GuardViolation, "no-residential-placement"):
        app.cases.schedule_meeting(MANAGER, case.id, uuid.uuid4(), MeetingKind.PLACEMENT_REVIEW, later, "CAM", [])


def test_the_monthly_placement_review_tells_the_gta_and_the_cim(app, frozen):
    case = open_case(app)
    app.cases.record_placement(GTA_OFFICER, case.id, PlacementType.CAM_CSC_RESIDENTIAL_UNIT, "GTA-7")
    app.cases.schedule_meeting(MANAGER, case.id, uuid.uuid4(), MeetingKind.PLACEMENT_REVIEW,
                               frozen.now() + timedelta(days=20), "CAM", [])
    assert sorted(n.recipient_agency for n in _raised(app, case, "cam:N20")) == ["cim-almaty", "gta-almaty"]


def test_rejected_review_recommendations_reach_every_member_of_that_review_with_the_reasons(app, frozen):
    case = drive_to(app, "care_plan_active")
    review = uuid.uuid4()
    app.cases.schedule_meeting(MANAGER, case.id, review, MeetingKind.CARE_PLAN_REVIEW, frozen.now() + timedelta(days=7),
                               "CAM", ["gta-almaty", "cim-almaty"])
    assert sorted(n.recipient_agency for n in _raised(app, case, "cam:N38")) == ["cim-almaty", "gta-almaty"]
    with refused(app, GuardViolation, "review-not-held"):
        app.cases.reject_recommendations(MANAGER, case.id, review, "return home", "too early")
    frozen.advance(timedelta(days=8))
    with refused(app, GuardViolation, "reasons-required"):
        app.cases.reject_recommendations(MANAGER, case.id, review, "return home", " ")
    app.cases.reject_recommendations(MANAGER, case.id, review, "return home now", "the father is still charged")
    assert sorted(n.recipient_agency for n in _raised(app, case, "cam:N33")) == ["cim-almaty", "gta-almaty"]
    [meeting] = app.reads.show(GTA_OFFICER, "case", case.id)["meetings"]
    assert meeting["rejection"]["reasons"] == "the father is still charged"


def test_family_tracing_approved_with_its_risk_checked_asks_the_police_and_nobody_else(app):
    case = open_case(app)
    with refused(app, GuardViolation, "8.3.18-risk"):
        app.cases.approve_family_tracing(MANAGER, case.id, "she asks for her mother", False)
    app.cases.approve_family_tracing(MANAGER, case.id, "she asks for her mother", True)
    assert [(a, r) for a, _, r in told(app, case)] == [("police-inv-almaty", "cam:N23")]
    child = app.reads.show(INVESTIGATOR, "child", case.child_id)
    assert child["identity"]["given_name"] and "categories" not in child and "nationality" not in child["identity"]
    with pytest.raises(NotFound):
        app.reads.show(PROSECUTOR, "case", case.id)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def test_over_http_a_meeting_with_an_unknown_invitee_is_a_specific_problem_and_a_good_one_tells_them(app, frozen, client):
    case = drive_to(app, "cp_meeting_pending")
    body = {"meeting_id": str(uuid.uuid4()), "meeting": "child_protection_meeting",
            "at": (frozen.now() + timedelta(days=3)).isoformat(), "venue": "CAM", "invitees": ["nobody-here"]}
    path = f"/v1/cases/{case.id}/meetings"
    problem = assert_problem(client.post(path, json=body, headers=bearer(app, SOCIAL_WORKER)), 422, "rule-violation")
    assert (problem["rule"], problem["field"]) == ("invitee-unknown", "invitees")
    assert client.post(path, json={**body, "invitees": ["gta-almaty"]}, headers=bearer(app, GTA_OFFICER)).status_code == 403
    answer = client.post(path, json={**body, "invitees": ["gta-almaty"]}, headers=bearer(app, SOCIAL_WORKER))
    assert answer.status_code == 200, answer.text
    assert [n.recipient_agency for n in _raised(app, case, "cam:N28")] == ["gta-almaty"]
    removal = client.post(f"/v1/cases/{case.id}/removal", json={"reasons": "x"}, headers=bearer(app, SOCIAL_WORKER))
    assert removal.status_code == 403  # the manager decides a removal



def test_a_referral_redirected_to_the_centre_tells_the_gta_as_one_sent_to_it_would(app):
    """Design notes §2 item 4, cam N05: the onward referral is a referral to the CAM like any other."""
    referral = submit(app, recipient="ngo-rodnik")
    app.referrals.acknowledge_referral(NGO_COORDINATOR, referral.id)
    app.referrals.redirect_referral(NGO_COORDINATOR, referral.id, "cam-almaty", "needs case management")
    with app.dossiers.dossier(referral.child_id) as dossier:
        onward = [r for r in dossier.referrals if r.id != referral.id]
        told_gta = [n for n in dossier.notices if n.recipient_agency == "gta-almaty" and n.rule == "cam:N02"]
    assert [n.subject_id for n in told_gta] == [onward[0].id]
