"""The GTA's acknowledgement clock on a referral it receives (decision 0050): the manuals set the GTA no limit, so
the hub holds it to the centre's own 24 hours (D03 c), and tells the referrer and the prosecutor when it is missed."""

from __future__ import annotations

from datetime import timedelta

from tests.builders import GTA_OFFICER, SCHOOL_PSYCHOLOGIST
from tests.scenario import submit


def _infant(app):
    referral = submit(app, actor=SCHOOL_PSYCHOLOGIST, child__stated_age=2)
    assert referral.recipient_agency == "gta-almaty"  # under 3: the GTA alone (cam L819-821)
    return referral


def test_the_gta_acknowledges_within_24_hours_and_the_clock_is_met(app, frozen):
    referral = _infant(app)
    [clock] = app.inbox.clocks_of(GTA_OFFICER, "referral", referral.id)
    assert (clock["id"], clock["limit"], clock["status"]) == ("GTA-ACK", "24 hours", "running")
    frozen.advance(timedelta(hours=5))
    app.referrals.acknowledge_referral(GTA_OFFICER, referral.id)
    [clock] = app.inbox.clocks_of(GTA_OFFICER, "referral", referral.id)
    assert clock["status"] == "met"
    frozen.advance(timedelta(days=3))
    assert [e for e in app.escalation.escalate_overdue() if e.subject_id == referral.id] == []


def test_a_referral_the_gta_leaves_unacknowledged_is_escalated_once_to_the_referrer_and_the_prosecutor(app, frozen):
    referral = _infant(app)
    [clock] = app.inbox.clocks_of(GTA_OFFICER, "referral", referral.id)
    frozen.set(clock["due_at"] - timedelta(minutes=1))
    assert [e for e in app.escalation.escalate_overdue() if e.subject_id == referral.id] == []
    frozen.set(clock["due_at"] + timedelta(minutes=1))
    [escalation] = [e for e in app.escalation.escalate_overdue() if e.subject_id == referral.id]
    assert escalation.deadline_id == "GTA-ACK"
    assert set(escalation.notify) == {"gta-almaty", "school-almaty-12", "prosecutor-almaty"}
    assert app.escalation.escalate_overdue() == []  # once
