"""The NGO's side (ngo-services-manual §2-§4, issue 14, docs/decisions/0034): an NGO decides on the referrals
addressed to it on its own clock, and answers the CAM/CSC's request for an independent supporter itself.

The story: a school psychologist refers a child to the "Rodnik" NGO for social support; the NGO's Programme
Coordinator acknowledges and accepts it (no CAM/CSC case opens) or declines it with reasons, within 2 working
days (D03-D05), or the NGO and the school hear that it is late.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from hub.actor import Actor
from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import IntakeAction, SupporterStep
from hub.aggregates.notice import Answer
from hub.aggregates.referral import Referral
from hub.aggregates.vocabulary import NgoService, ViewsCapacity
from hub.errors import GuardViolation, IllegalTransition, NotFound
from hub.kafka import notice_messages
from tests.builders import MANAGER, NGO_COORDINATOR, SCHOOL_PSYCHOLOGIST
from tests.scenario import IA, assign, initial, notices_about, open_case, refused, submit

NGO = "ngo-rodnik"
SUPPORTER = Actor(NGO, "independent_supporter", "a.sarsenova")


def drive_case_to_closure(app, case_id):
    for step in (assign, initial(IA.NO_FURTHER_ACTION)):
        step(app, case_id)


def _to_the_ngo(app) -> Referral:
    return submit(app, actor=SCHOOL_PSYCHOLOGIST, recipient=NGO, concern__category="neglect")


def _inbox(app, actor, queue="all"):
    return [(i.item_type, i.item_id, i.deadline_id) for i in app.inbox.inbox(actor, queue).items]


def test_the_ngo_accepts_a_referral_for_its_own_service_and_no_case_opens(app):
    referral = _to_the_ngo(app)
    assert _inbox(app, NGO_COORDINATOR) == [("referral", str(referral.id), "NGO-D03")]
    app.referrals.acknowledge_referral(NGO_COORDINATOR, referral.id)
    accepted = app.referrals.accept_referral(NGO_COORDINATOR, referral.id)
    assert isinstance(accepted, Referral) and (accepted.state, accepted.case_id) == ("accepted", None)
    assert app.reads.show(SCHOOL_PSYCHOLOGIST, "referral", referral.id)["state"] == "accepted"  # the referrer sees it
    with app.dossiers.dossier(referral.child_id) as dossier:
        assert dossier.cases == []
    assert _inbox(app, NGO_COORDINATOR) == []  # decided: the clock has stopped


def test_the_ngo_declines_only_with_reasons_and_the_referrer_sees_them(app):
    referral = _to_the_ngo(app)
    with refused(app, GuardViolation, "reasons-required"):
        app.referrals.decline_referral(NGO_COORDINATOR, referral.id, [" "])
    app.referrals.decline_referral(NGO_COORDINATOR, referral.id, ["no capacity this month; try the CSC's family service"])
    seen = app.reads.show(SCHOOL_PSYCHOLOGIST, "referral", referral.id)
    assert seen["state"] == "declined"


def test_a_cam_still_opens_a_case_when_it_accepts(app):
    referral = submit(app)
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    assert isinstance(app.referrals.accept_referral(MANAGER, referral.id), Case)


def test_only_the_addressed_ngo_decides(app):
    referral = submit(app)  # routed to the CAM
    with refused(app, NotFound):
        app.referrals.accept_referral(NGO_COORDINATOR, referral.id)


def test_an_undecided_referral_escalates_to_the_ngo_and_the_referrer_after_2_working_days(app, frozen):
    referral = _to_the_ngo(app)
    [clock] = app.inbox.clocks_of(NGO_COORDINATOR, "referral", referral.id)
    assert (clock["id"], clock["limit"], clock["status"]) == ("NGO-D03", "2 working days", "running")
    assert app.escalation.escalate_overdue() == []
    frozen.set(clock["due_at"] + timedelta(minutes=1))
    [escalation] = [e for e in app.escalation.escalate_overdue() if e.subject_id == referral.id]
    assert escalation.deadline_id == "NGO-D03"
    assert set(escalation.notify) == {NGO, "school-almaty-12"}
    assert [i[0] for i in _inbox(app, SCHOOL_PSYCHOLOGIST, "escalated")] == ["escalation"]
    assert app.escalation.escalate_overdue() == []  # once
    app.referrals.decline_referral(NGO_COORDINATOR, referral.id, ["outside our area"])  # late, but decided
    assert _inbox(app, SCHOOL_PSYCHOLOGIST, "escalated") == []


# -- the independent supporter (cam Part 9, ngo §11): the NGO answers and speaks for itself -------------------


def _supporter_requested(app):
    case = open_case(app)
    app.cases.record_intake_action(MANAGER, case.id, IntakeAction.SUPPORTER_REQUESTED, None)
    [request] = [n for n in notices_about(app, case) if n.rule == "cam:N08"]
    return case, request


def _told_manager(app, case, rule):
    return [n for n in notices_about(app, case) if n.rule == rule and n.recipient_agency == "cam-almaty"]


def test_the_ngo_sees_only_the_supporter_request_fields(app):
    case, request = _supporter_requested(app)
    assert (request.recipient_agency, request.answer_due_at is not None) == (NGO, True)  # 1 working day (D42)
    referral = app.reads.show(NGO_COORDINATOR, "referral", case.referral_ids[0])
    assert set(referral["content"]) <= {"child", "concern"}
    assert set(referral["content"].get("concern", {})) <= {"care_situation"}  # no description, no evidence
    assert "health" not in referral["content"]["child"] and "referrer" not in referral["content"]
    seen = app.reads.show(NGO_COORDINATOR, "case", case.id)
    assert "timeline" not in seen and "notes" not in seen


def test_the_ngo_refuses_the_request_with_reasons_and_the_manager_sees_the_answer(app):
    case, request = _supporter_requested(app)
    with refused(app, GuardViolation, "reasons-required"):
        app.notices.answer(NGO_COORDINATOR, request.id, Answer.REFUSE, [], None)
    app.notices.answer(NGO_COORDINATOR, request.id, Answer.REFUSE, ["no Russian-speaking supporter free"], None)
    seen = app.reads.show(MANAGER, "notice", request.id)
    assert (seen["answer"], seen["answer_reasons"]) == ("refuse", ["no Russian-speaking supporter free"])
    assert SupporterStep.NGO_DECLINED in app.cases.case_for(MANAGER, case.id).supporter_steps
    with refused(app, NotFound):  # refused: the case is not the NGO's to act on
        app.supporter.recommend(NGO_COORDINATOR, case.id, "involve the CIM")


def test_the_supporter_loop_reaches_the_case_manager_and_the_ngo_is_told_of_closure(app):
    case, request = _supporter_requested(app)
    app.notices.answer(NGO_COORDINATOR, request.id, Answer.ACCEPT, [], "Aigerim S. will support the child")
    assert app.reads.show(MANAGER, "notice", request.id)["answer"] == "accept"
    app.supporter.record_step(NGO_COORDINATOR, case.id, SupporterStep.SUPPORTER_CONTACTED, None)
    app.supporter.record_step(NGO_COORDINATOR, case.id, SupporterStep.FIRST_MEETING_HELD, None)
    assert {SupporterStep.NGO_ACCEPTED, SupporterStep.SUPPORTER_CONTACTED, SupporterStep.FIRST_MEETING_HELD} <= set(
        app.cases.case_for(MANAGER, case.id).supporter_steps
    )

    app.supporter.recommend(SUPPORTER, case.id, "involve the school psychologist")
    [recommendation] = _told_manager(app, case, "cam:N45")
    assert app.reads.show(MANAGER, "notice", recommendation.id)["reason"] == "involve the school psychologist"
    app.supporter.submit_views(SUPPORTER, case.id, ViewsCapacity.CONVEYING_VIEWS_WITH_DISSENT,
                               "wants to go home to her mother", "a return now is unsafe", "the mother's partner is there")
    [views] = _told_manager(app, case, "ngo:N18")
    statement = app.reads.show(MANAGER, "notice", views.id)["reason"]
    assert "wants to go home" in statement and "unsafe" in statement and "partner" in statement
    assert {i.item_id for i in app.inbox.inbox(MANAGER, "notices").items} >= {str(recommendation.id), str(views.id)}
    with pytest.raises(NotFound):  # to a body it is not addressed to, the child's views do not exist
        app.reads.show(SCHOOL_PSYCHOLOGIST, "notice", views.id)

    app.supporter.child_declined(NGO_COORDINATOR, case.id, None)
    [declined] = _told_manager(app, case, "cam:N11")
    assert "not consented" in app.reads.show(MANAGER, "notice", declined.id)["reason"]
    with refused(app, GuardViolation, "supporter-declined"):
        app.supporter.recommend(SUPPORTER, case.id, "one more")

    drive_case_to_closure(app, case.id)
    [closure] = [n for n in notices_about(app, case) if n.rule == "ngo:N19"]
    assert closure.recipient_agency == NGO
    assert [i.item_id for i in app.inbox.inbox(NGO_COORDINATOR, "notices").items] == [str(closure.id)]


def test_the_manager_no_longer_types_the_ngo_s_answer(app):
    case, _ = _supporter_requested(app)
    with refused(app, NotFound):
        app.supporter.record_step(MANAGER, case.id, SupporterStep.SUPPORTER_CONTACTED, None)
    assert not hasattr(app.cases, "record_supporter_step")


def test_a_refused_consent_to_the_ngo_s_service_is_told_to_the_referrer(app):
    referral = _to_the_ngo(app)
    with refused(app, IllegalTransition):  # not accepted yet
        app.referrals.refuse_service_consent(NGO_COORDINATOR, referral.id, NgoService.SOCIAL_SUPPORT, None)
    app.referrals.acknowledge_referral(NGO_COORDINATOR, referral.id)
    app.referrals.accept_referral(NGO_COORDINATOR, referral.id)
    app.referrals.refuse_service_consent(NGO_COORDINATOR, referral.id, NgoService.SOCIAL_SUPPORT, None)
    [told] = [n for n in notices_about(app, referral) if n.rule == "ngo:N09"]
    assert told.recipient_agency == "school-almaty-12"
    seen = app.reads.show(SCHOOL_PSYCHOLOGIST, "notice", told.id)
    assert "did not consent" in seen["reason"]


def test_the_ngo_s_own_system_answers_the_request_by_its_kafka_message(app):
    """What ``hub ingest`` does with a ``notice_answered`` message on hub.in.ngo."""
    case, request = _supporter_requested(app)
    raw = json.dumps({"message_type": "notice_answered", "notice_id": str(request.id), "answer": "accept"}).encode()
    notice_messages.receive(app, NGO_COORDINATOR, raw)
    assert SupporterStep.NGO_ACCEPTED in app.cases.case_for(MANAGER, case.id).supporter_steps
    assert app.reads.show(MANAGER, "notice", request.id)["answer"] == "accept"
