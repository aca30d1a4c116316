"""What the centre sends other bodies in writing (cam-csc-manual §6 N22, N25/N26, N30-N32, N39/N40, N44; docs/decisions/
0044): each told body finds its notice in its inbox carrying its text, reads exactly the part of the file the notice is
about, and the centre sees its answer; nobody else learns anything.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.aggregates.case_papers import ReviewReport
from hub.aggregates.case_vocabulary import IntakeAction, MeetingKind
from hub.aggregates.notice import Answer
from hub.aggregates.vocabulary import BodyKind, City
from hub.api.app import create_app
from hub.errors import GuardViolation, IllegalTransition, NotFound
from tests.api_support import bearer
from tests.builders import (
    ADMIN,
    CIM_OFFICER,
    DOCTOR,
    GTA_OFFICER,
    INVESTIGATOR,
    MANAGER,
    NGO_COORDINATOR,
    SCHOOL_PSYCHOLOGIST,
    SOCIAL_WORKER,
)
from tests.scenario import drive_to, notices_about, open_case, refused
from tests.test_encryption import raw_events

JUDGE = Actor("court-almaty", "judge", "b.omarov")
SOCIAL_PROTECTION = Actor("sp-almaty", "officer", "g.nurlanova")
HOSPITAL_DOCTOR = DOCTOR


@pytest.fixture
def bodies(app):
    app.directory.register_agency(ADMIN, "court-almaty", "Specialised court for minors, Almaty", BodyKind.COURT, City.ALMATY)
    app.directory.register_agency(ADMIN, "sp-almaty", "Department of Social Protection, Almaty",
                                  BodyKind.SOCIAL_PROTECTION, City.ALMATY)
    return app


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def _told(app, case, rule):
    return sorted((n for n in notices_about(app, case) if n.rule == rule), key=lambda n: n.recipient_agency or "")


def _in_inbox(app, actor, notice):
    return str(notice.id) in {i.item_id for i in app.inbox.inbox(actor, "notices").items}


def test_the_gta_or_a_court_is_asked_for_authority_to_examine_and_reads_why(bodies):
    app = bodies
    case = open_case(app)
    with refused(app, GuardViolation, "refused-by-required"):
        app.papers.apply_for_medical_authority(MANAGER, case.id, uuid.uuid4(), BodyKind.GTA, "bruising", " ")
    with refused(app, GuardViolation, "medical-authority"):
        app.papers.apply_for_medical_authority(MANAGER, case.id, uuid.uuid4(), BodyKind.SCHOOL, "bruising", "father")
    app.papers.apply_for_medical_authority(MANAGER, case.id, uuid.uuid4(), BodyKind.COURT, "bruises on the back",
                                           "the father refuses; the child is 9, not mature")
    [notice] = _told(app, case, "cam:N22")
    assert (notice.recipient_agency, notice.recipient_role) == ("court-almaty", "judge")
    assert _in_inbox(app, JUDGE, notice)
    seen = app.reads.show(JUDGE, "notice", notice.id)
    assert "bruises on the back" in seen["reason"] and "father refuses" in seen["reason"]
    record = app.reads.show(JUDGE, "case", case.id)
    assert record["medical_applications"][0]["to"] == "court" and "intake_actions" not in record
    app.notices.answer(JUDGE, notice.id, Answer.ACCEPT, [], "authorised, ruling 2-114")
    assert app.reads.show(MANAGER, "notice", notice.id)["answer_note"] == "authorised, ruling 2-114"
    with pytest.raises(NotFound):  # the GTA was not asked this time: the reason is health data
        app.reads.show(GTA_OFFICER, "notice", notice.id)


def test_a_support_referral_reaches_the_ngo_with_annex_f_and_its_answer_closes_the_case(bodies):
    app = bodies
    case = drive_to(app, "awaiting_support_referral")
    app.papers.refer_for_support(MANAGER, case.id, "ngo-rodnik", ["social support"], "the mother is alone with four")
    [notice] = _told(app, case, "cam:N25")
    assert notice.recipient_agency == "ngo-rodnik" and notice.answer_due_at is not None  # 2 working days
    assert _in_inbox(app, NGO_COORDINATOR, notice)
    referral = app.reads.show(NGO_COORDINATOR, "referral", case.referral_ids[0])
    assert "description" not in referral["content"].get("concern", {}) and "disability" not in referral["content"]["child"]
    assert app.reads.show(NGO_COORDINATOR, "case", case.id)["support_referrals"][0]["services"] == ["social support"]
    with refused(app, GuardViolation, "support-referred"):
        app.papers.refer_for_support(MANAGER, case.id, "ngo-rodnik", ["social support"], "again")
    app.notices.answer(NGO_COORDINATOR, notice.id, Answer.ACCEPT, [], "a family worker from Monday")
    assert app.cases.case_for(MANAGER, case.id).state == "closed"  # T08: support services accepted (N26)
    assert app.reads.show(MANAGER, "notice", notice.id)["answer"] == "accept"


def test_a_provider_without_space_refuses_with_reasons_and_the_manager_refers_to_social_protection(bodies):
    app = bodies
    case = drive_to(app, "awaiting_support_referral")
    with refused(app, GuardViolation, "provider-unknown"):
        app.papers.refer_for_support(MANAGER, case.id, "school-almaty-12", ["social support"], "x")
    app.papers.refer_for_support(MANAGER, case.id, "ngo-rodnik", ["counselling"], "the boy is withdrawn")
    [asked] = _told(app, case, "cam:N25")
    with refused(app, GuardViolation, "reasons-required"):
        app.notices.answer(NGO_COORDINATOR, asked.id, Answer.REFUSE, [], None)
    app.notices.answer(NGO_COORDINATOR, asked.id, Answer.REFUSE, ["no space before March"], None)
    seen = app.reads.show(MANAGER, "notice", asked.id)
    assert (seen["answer"], seen["answer_reasons"]) == ("refuse", ["no space before March"])
    assert app.cases.case_for(MANAGER, case.id).state == "awaiting_support_referral"
    app.papers.refer_for_support(MANAGER, case.id, "sp-almaty", ["counselling"], "the NGO has no space")
    assert [n.recipient_agency for n in _told(app, case, "cam:N25")] == ["ngo-rodnik", "sp-almaty"]
    assert app.reads.show(SOCIAL_PROTECTION, "case", case.id)["id"] == str(case.id)


def _meeting(app, frozen, case, invitees, kind=MeetingKind.CHILD_PROTECTION_MEETING):
    meeting_id = uuid.uuid4()
    app.cases.schedule_meeting(SOCIAL_WORKER, case.id, meeting_id, kind, frozen.now() + timedelta(days=3), "CAM",
                               invitees)
    return meeting_id


def _with_supporter(app, case):
    app.cases.record_intake_action(MANAGER, case.id, IntakeAction.SUPPORTER_REQUESTED, None)
    [request] = _told(app, case, "cam:N08")
    app.notices.answer(NGO_COORDINATOR, request.id, Answer.ACCEPT, [], None)


def test_the_meeting_pack_goes_to_every_member_and_its_health_section_to_health_alone(app, frozen):
    case = drive_to(app, "cp_meeting_pending")
    _with_supporter(app, case)
    meeting = _meeting(app, frozen, case, ["hospital-almaty-1", "police-inv-almaty"])
    app.papers.issue_meeting_pack(SOCIAL_WORKER, case.id, meeting, "chronology: three calls since May",
                                  "healed fractures of the left arm")
    packs = {n.recipient_agency: n for n in _told(app, case, "cam:N30")}
    assert sorted(packs) == ["hospital-almaty-1", "ngo-rodnik", "police-inv-almaty"]
    police = app.reads.show(INVESTIGATOR, "notice", packs["police-inv-almaty"].id)["reason"]
    health = app.reads.show(HOSPITAL_DOCTOR, "notice", packs["hospital-almaty-1"].id)["reason"]
    supporter = app.reads.show(NGO_COORDINATOR, "notice", packs["ngo-rodnik"].id)["reason"]
    assert "three calls" in police and "fractures" not in police and "fractures" not in supporter
    assert "three calls" in health and "fractures" in health
    frozen.advance(timedelta(days=4))
    with refused(app, GuardViolation, "meeting-held"):
        app.papers.issue_meeting_pack(SOCIAL_WORKER, case.id, meeting, "late", None)


def test_the_minutes_and_the_final_plan_reach_the_members_the_supporter_and_the_gta(app, frozen):
    case = drive_to(app, "cp_meeting_pending")
    _with_supporter(app, case)
    _meeting(app, frozen, case, ["police-inv-almaty", "school-almaty-12"])
    frozen.advance(timedelta(days=4))
    app.cases.hold_protection_meeting(MANAGER, case.id, "child_protection_plan", "agreed: weekly visits", None)
    minutes = _told(app, case, "cam:N31")
    assert [n.recipient_agency for n in minutes] == ["ngo-rodnik", "police-inv-almaty", "school-almaty-12"]
    assert app.reads.show(SCHOOL_PSYCHOLOGIST, "notice", minutes[2].id)["reason"] == "agreed: weekly visits"
    app.cases.finalise_protection_plan(MANAGER, case.id, "weekly visits by the social worker", True, None)
    plans = _told(app, case, "cam:N32")
    assert [n.recipient_agency for n in plans] == ["gta-almaty", "ngo-rodnik", "police-inv-almaty", "school-almaty-12"]
    assert _in_inbox(app, GTA_OFFICER, plans[0])
    app.notices.answer(GTA_OFFICER, plans[0].id, Answer.ACCEPT, [], "approved")
    assert app.reads.show(MANAGER, "notice", plans[0].id)["answer"] == "accept"
    assert app.reads.show(GTA_OFFICER, "case", case.id)["plan_version"] == 1
    with pytest.raises(NotFound):
        app.reads.show(CIM_OFFICER, "case", case.id)  # not a member


def test_the_reports_before_a_care_plan_review_reach_its_members(app, frozen):
    case = drive_to(app, "care_plan_active")
    review = _meeting(app, frozen, case, ["gta-almaty", "school-almaty-12"], MeetingKind.CARE_PLAN_REVIEW)
    app.papers.issue_review_report(SOCIAL_WORKER, case.id, review, ReviewReport.PROGRESS,
                                   "settled with the foster family; no application to deprive the parents")
    app.papers.issue_review_report(SOCIAL_WORKER, case.id, review, ReviewReport.MEMBERS, "the carer: sleeps well")
    assert [n.recipient_agency for n in _told(app, case, "cam:N39")] == ["gta-almaty", "school-almaty-12"]
    [school_report] = [n for n in _told(app, case, "cam:N40") if n.recipient_agency == "school-almaty-12"]
    assert app.reads.show(SCHOOL_PSYCHOLOGIST, "notice", school_report.id)["reason"] == "the carer: sleeps well"
    with refused(app, GuardViolation, "no-meeting"):
        app.papers.issue_review_report(SOCIAL_WORKER, case.id, uuid.uuid4(), ReviewReport.PROGRESS, "x")


def test_an_ngo_asked_for_a_service_inside_the_plan_accepts_and_reports_progress_each_month(app, frozen):
    early = drive_to(app, "social_assessment")
    with refused(app, IllegalTransition):
        app.papers.request_service(MANAGER, early.id, uuid.uuid4(), "ngo-rodnik", ["psychological counselling"], "x")
    case = drive_to(app, "cp_plan_active")
    app.papers.request_service(MANAGER, case.id, uuid.uuid4(), "ngo-rodnik", ["psychological counselling"],
                               "weekly sessions until the plan's first review")
    [request] = _told(app, case, "cam:N44")
    assert _in_inbox(app, NGO_COORDINATOR, request)
    assert "weekly sessions" in app.reads.show(NGO_COORDINATOR, "notice", request.id)["reason"]
    assert app.reads.show(NGO_COORDINATOR, "case", case.id)["service_requests"][0]["services"] == [
        "psychological counselling"]
    app.notices.answer(NGO_COORDINATOR, request.id, Answer.ACCEPT, [], None)
    for month in ("4 sessions held", "3 sessions held, calmer"):
        frozen.advance(timedelta(days=30))
        app.notices.answer(NGO_COORDINATOR, request.id, Answer.ACTION_TAKEN, [], month)
    seen = app.reads.show(MANAGER, "notice", request.id)
    assert (seen["answer"], seen["answer_note"]) == ("action_taken", "3 sessions held, calmer")
    with refused(app, IllegalTransition):  # progress follows an acceptance; it is not taken back
        app.notices.answer(NGO_COORDINATOR, request.id, Answer.REFUSE, ["changed our mind"], None)


def test_over_http_the_papers_are_the_centre_s_to_send(bodies, client):
    app = bodies
    case = open_case(app)
    body = {"application_id": str(uuid.uuid4()), "authority": "gta", "reason": "bruises", "refused_by": "the father"}
    path = f"/v1/cases/{case.id}/medical-authority-applications"
    assert client.post(path, json=body, headers=bearer(app, GTA_OFFICER)).status_code == 403
    answer = client.post(path, json=body, headers=bearer(app, MANAGER))
    assert answer.status_code == 200, answer.text
    [notice] = _told(app, case, "cam:N22")
    assert notice.recipient_agency == "gta-almaty"
    problem = client.post(f"/v1/cases/{case.id}/support-referrals",
                          json={"provider": "ngo-rodnik", "services": ["social support"], "reason": "x"},
                          headers=bearer(app, MANAGER))
    assert problem.status_code == 409, problem.text


def test_the_professional_discussion_reaches_the_professional_members_and_never_the_supporter(app, frozen, client):
    case = drive_to(app, "cp_meeting_pending")
    _with_supporter(app, case)
    _meeting(app, frozen, case, ["ngo-rodnik", "school-almaty-12"])  # the supporter's NGO invited as well
    frozen.advance(timedelta(days=4))
    held = client.post(f"/v1/cases/{case.id}/protection-meeting", headers=bearer(app, MANAGER), json={
        "recommendation": "child_protection_plan", "minutes": "agreed: weekly visits",
        "professional_discussion": "the father's account does not fit the healed fractures",
    })
    assert held.status_code == 200, held.text
    told = {n.recipient_agency: n for n in _told(app, case, "cam:N31")}
    assert sorted(told) == ["ngo-rodnik", "school-almaty-12"]  # one notice a body
    school = client.get(f"/v1/notices/{told['school-almaty-12'].id}", headers=bearer(app, SCHOOL_PSYCHOLOGIST))
    assert "weekly visits" in school.json()["reason"] and "healed fractures" in school.json()["reason"]
    supporter = client.get(f"/v1/notices/{told['ngo-rodnik'].id}", headers=bearer(app, NGO_COORDINATOR))
    assert supporter.json()["reason"] == "agreed: weekly visits"
    for path in ("", "/timeline"):  # nor anything else of the case the supporter's body may read
        assert "fractures" not in client.get(f"/v1/cases/{case.id}{path}", headers=bearer(app, NGO_COORDINATOR)).text
    timeline = client.get(f"/v1/cases/{case.id}/timeline", headers=bearer(app, MANAGER)).json()
    [meeting] = [e for e in timeline if e["event"] == "ProtectionMeetingHeld"]
    assert meeting["details"]["professional_discussion"] == "the father's account does not fit the healed fractures"
    assert b"healed fractures" not in b"".join(e.state for e in raw_events(app))  # sealed with the child's key


def test_minutes_recorded_without_a_professional_discussion_tell_every_member_the_minutes_alone(app, frozen):
    case = drive_to(app, "cp_meeting_pending")
    _meeting(app, frozen, case, ["school-almaty-12"])
    frozen.advance(timedelta(days=4))
    app.cases.hold_protection_meeting(MANAGER, case.id, "child_protection_plan", "agreed: weekly visits", None,
                                      professional_discussion="  ")
    [event] = [e for e in app.store.events.get(case.id) if type(e).__name__ == "ProtectionMeetingHeld"]
    assert event.professional_discussion is None
    [notice] = _told(app, case, "cam:N31")
    assert app.reads.show(SCHOOL_PSYCHOLOGIST, "notice", notice.id)["reason"] == "agreed: weekly visits"
