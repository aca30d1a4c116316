"""The NGO's side (ngo-services-manual §2-§4, issue 14, docs/decisions/0034): an NGO decides on the referrals
addressed to it on its own clock, and answers the CAM/CSC's request for an independent supporter itself.

The story: a school psychologist refers a child to the "Rodnik" NGO for social support; the NGO's Programme
Coordinator acknowledges and accepts it (no CAM/CSC case opens) or declines it with reasons, within 2 working
days (D03-D05), or the NGO and the school hear that it is late.
"""

from __future__ import annotations

from datetime import timedelta

from hub.aggregates.case import Case
from hub.aggregates.referral import Referral
from hub.errors import GuardViolation, NotFound
from tests.builders import MANAGER, NGO_COORDINATOR, SCHOOL_PSYCHOLOGIST
from tests.scenario import refused, submit

NGO = "ngo-rodnik"


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
