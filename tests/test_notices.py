"""Notices (docs/decisions/0025): a body told of a child by a rule of the manuals finds the notice in its inbox,
on a clock, answers it, and is escalated when it does not; the sender and the managing centre see where it stands.

The story: a hospital doctor refers a child with signs of violence (the health SOP of 20.11.2020, violence
evaluation L1631): the juvenile inspection and the Commission on Minors' Affairs are told within a day, the
GTA of a referral to the CAM (cam N02).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from hub.aggregates.notice import Answer, Notice
from hub.actor import Actor
from hub.errors import GuardViolation, InvalidInput, NotFound
from tests.builders import (
    CIM_OFFICER, DOCTOR, GTA_OFFICER, INSPECTOR, MANAGER, PROSECUTOR, SCHOOL_PSYCHOLOGIST, SCHOOL_TEACHER, SPECIAL_SCHOOL,
)
from tests.scenario import illegal, notices_about, refused, submit


def _violence(app):
    return submit(app, actor=DOCTOR, concern__category="physical_violence", concern__urgency="high")


def _notice(app, referral, rule: str) -> Notice:
    [notice] = [n for n in notices_about(app, referral) if n.rule == rule]
    return notice


def _inbox(app, actor, queue="all"):
    return [(i.item_type, i.item_id, i.deadline_id, i.state) for i in app.inbox.inbox(actor, queue).items]


def test_each_body_the_sop_names_finds_its_notice_in_its_inbox_on_the_clock_of_the_table(app, frozen):
    referral = _violence(app)
    police = _notice(app, referral, "vse:SOP-POLICE")
    assert (police.recipient_agency, police.sender_agency) == ("ji-almaty", "hospital-almaty-1")
    # Acknowledged within the table's default (notices.yaml acknowledge_within), as the manual gives none.
    assert police.ack_due_at is not None and police.ack_due_at > frozen.now()
    assert _inbox(app, INSPECTOR, "notices") == [("notice", str(police.id), "vse:SOP-POLICE", "created")]
    assert [i[1] for i in _inbox(app, CIM_OFFICER, "notices")] == [str(_notice(app, referral, "vse:SOP-CIM").id)]
    assert [i[1] for i in _inbox(app, GTA_OFFICER, "notices")] == [str(_notice(app, referral, "cam:N02").id)]
    assert _inbox(app, SCHOOL_PSYCHOLOGIST) == []  # not told: nothing in its inbox
    clocks = {c["title"]: c["status"] for c in app.inbox.clocks_of(INSPECTOR, "notice", police.id)}
    assert clocks == {"Acknowledge: " + police.title: "running"}


def test_the_police_see_what_an_offence_notice_needs_and_no_medical_detail(app):
    referral = _violence(app)
    police = _notice(app, referral, "vse:SOP-POLICE")
    notice = app.reads.show(INSPECTOR, "notice", police.id)
    assert (notice["rule"], notice["state"], notice["by_agency"]) == ("vse:SOP-POLICE", "created", "hospital-almaty-1")
    seen = app.reads.show(INSPECTOR, "referral", referral.id)
    assert seen["content"]["child"]["given_name"] == "Aziz"
    assert "category" in seen["content"]["concern"]
    assert "health" not in seen["content"]["child"]  # the health SOP tells the police of the offence, not the illness
    assert "notes" not in seen


def test_an_answer_is_seen_by_the_sender_and_by_the_centre_that_manages_the_child(app):
    referral = _violence(app)
    police = _notice(app, referral, "vse:SOP-POLICE")
    app.notices.acknowledge(INSPECTOR, police.id)
    app.notices.answer(INSPECTOR, police.id, Answer.ACTION_TAKEN, [], "pre-trial investigation opened")
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    app.referrals.accept_referral(MANAGER, referral.id)
    for body in (DOCTOR, MANAGER):
        seen = app.reads.show(body, "notice", police.id)
        assert (seen["state"], seen["answer"]) == ("answered", "action_taken"), body
    assert _inbox(app, INSPECTOR, "notices") == []  # answered: nothing left to do
    told = app.reads.show(DOCTOR, "referral", referral.id)["notices"]
    assert {(n["to"], n["state"]) for n in told} >= {("ji-almaty", "answered"), ("cim-almaty", "created")}


def test_only_the_recipient_answers_and_to_any_other_body_the_notice_does_not_exist(app):
    police = _notice(app, _violence(app), "vse:SOP-POLICE")
    for other in (CIM_OFFICER, MANAGER, SCHOOL_PSYCHOLOGIST):
        with refused(app, NotFound):
            app.notices.acknowledge(other, police.id)
    with refused(app, NotFound):
        app.notices.withdraw(INSPECTOR, police.id, "not ours")  # only its sender withdraws it


def test_a_refusal_needs_reasons_and_is_never_silent(app):
    police = _notice(app, _violence(app), "vse:SOP-POLICE")
    with refused(app, GuardViolation, "reasons-required"):
        app.notices.answer(INSPECTOR, police.id, Answer.REFUSE, ["  "], None)
    with refused(app, GuardViolation, "notice-answer"):
        app.notices.answer(INSPECTOR, police.id, Answer.ACCEPT, [], None)  # not an answer this notice takes
    app.notices.answer(INSPECTOR, police.id, Answer.REFUSE, ["no sign of an offence in the report"], None)
    refusals = [n for n in notices_about(app, app.aggregates.load(Notice, police.id, "notice")) if n.rule == "hub:REFUSED"]
    assert {n.recipient_agency for n in refusals} == {"hospital-almaty-1", "prosecutor-almaty"}
    assert ("notice", str(next(n.id for n in refusals if n.recipient_agency == "prosecutor-almaty"))) in {
        i[:2] for i in _inbox(app, PROSECUTOR, "notices")
    }


def test_a_question_keeps_the_notice_open_until_the_sender_replies_and_the_recipient_answers(app):
    police = _notice(app, _violence(app), "vse:SOP-POLICE")
    app.notices.answer(INSPECTOR, police.id, Answer.INFORMATION_REQUESTED, [], "which injuries were seen?")
    [item] = app.inbox.inbox(INSPECTOR, "notices").items
    assert item.awaiting == "reply from hospital-almaty-1"
    with refused(app, NotFound):
        app.notices.reply_to_question(INSPECTOR, police.id, "answering myself")
    app.notices.reply_to_question(DOCTOR, police.id, "bruising on both arms, older and recent")
    app.notices.answer(INSPECTOR, police.id, Answer.ACTION_TAKEN, [], "inspector visited the family")
    assert app.reads.show(DOCTOR, "notice", police.id)["state"] == "answered"


def test_the_sender_withdraws_a_notice_sent_in_error_and_it_leaves_the_recipient_s_inbox(app):
    police = _notice(app, _violence(app), "vse:SOP-POLICE")
    app.notices.withdraw(DOCTOR, police.id, "referred the wrong child")
    assert _inbox(app, INSPECTOR, "notices") == []
    with illegal(app, "withdrawn", "acknowledge"):
        app.notices.acknowledge(INSPECTOR, police.id)


def test_a_notice_left_unacknowledged_escalates_once_to_the_superior_body_and_the_sender(app, frozen):
    referral = _violence(app)
    police = _notice(app, referral, "vse:SOP-POLICE")
    assert app.escalation.escalate_overdue() == []
    frozen.set(police.ack_due_at + timedelta(minutes=1))
    raised = [e for e in app.escalation.escalate_overdue() if e.subject_id == police.id]
    assert len(raised) == 1 and app.escalation.escalate_overdue() == []  # raised once
    [escalation] = raised
    # The inspection's superior is the prosecutor (notices.yaml escalation_ladder); the hospital sent it.
    assert {"ji-almaty", "hospital-almaty-1", "prosecutor-almaty"} <= set(escalation.notify)
    assert [(i[0], i[3]) for i in _inbox(app, PROSECUTOR, "escalated")] == [("escalation", "escalated")]
    assert [i[0] for i in _inbox(app, INSPECTOR, "overdue")] == ["notice"]
    app.notices.acknowledge(INSPECTOR, police.id)  # late, but done: the escalation leaves the inboxes
    assert _inbox(app, PROSECUTOR, "escalated") == []


@pytest.mark.parametrize("body", [INSPECTOR, CIM_OFFICER, GTA_OFFICER, PROSECUTOR, SCHOOL_PSYCHOLOGIST])
def test_every_kind_of_body_reads_its_own_inbox(app, body):
    assert app.inbox.inbox(body).items == []


SCHOOL_DIRECTOR = Actor("school-almaty-12", "director", "n.sagatova")


def _violence_at_school(app, **content):
    return submit(app, actor=DOCTOR, concern__category="physical_violence", child__school_agency="school-almaty-12",
                  **content)


def test_the_head_of_the_school_the_referral_names_is_told_of_the_pupil_and_nothing_more(app):
    referral = _violence_at_school(app)
    school = _notice(app, referral, "vse:SOP-SCHOOL")
    assert (school.recipient_agency, school.recipient_role) == ("school-almaty-12", "director")
    assert [i[1] for i in _inbox(app, SCHOOL_DIRECTOR, "notices")] == [str(school.id)]
    seen = app.reads.show(SCHOOL_DIRECTOR, "referral", referral.id)
    assert seen["content"]["child"]["given_name"] == "Aziz" and seen["recipient_agency"] == "cam-almaty"
    assert "concern" not in seen["content"] and "referrer" not in seen["content"] and "parents" not in seen["content"]
    for other in (SCHOOL_TEACHER, SPECIAL_SCHOOL):  # another role of the school, another school
        with pytest.raises(NotFound):
            app.reads.show(other, "referral", referral.id)
    assert _inbox(app, SPECIAL_SCHOOL) == []


def test_no_school_is_told_of_a_concern_about_its_own_staff_nor_when_none_is_named(app):
    about_staff = _violence_at_school(app, concern__about_agency="school-almaty-12")
    assert "vse:SOP-SCHOOL" not in {n.rule for n in notices_about(app, about_staff)}
    assert "vse:SOP-SCHOOL" not in {n.rule for n in notices_about(app, _violence(app))}
    with pytest.raises(NotFound):
        app.reads.show(SCHOOL_DIRECTOR, "referral", about_staff.id)


@pytest.mark.parametrize(("code", "problem"), [("hospital-almaty-1", "not-a-school"), ("school-nowhere", "unknown-agency")])
def test_a_referral_names_only_a_registered_school_as_the_child_s(app, code, problem):
    with refused(app, InvalidInput) as info:
        submit(app, actor=DOCTOR, concern__category="physical_violence", child__school_agency=code)
    assert (info.value.field, info.value.problem_type) == ("child.school_agency", problem)
