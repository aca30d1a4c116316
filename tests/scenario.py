"""Scenario helpers for the service-layer lifecycle tests.

Everything here goes through the application's service methods; the helpers
only read aggregates back (``app.case_for``, ``app.referral_for`` ...).

- ``refused``/``illegal``: assert a command is refused AND that nothing was
  appended to the store.
- ``open_case``: a referral submitted, acknowledged and accepted.
- ``drive_to``: a case driven along the manual's transitions to a given state.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import (
    CarePlanApprover,
    CarePlanReviewOutcome,
    InitialAssessmentOutcome,
    MeetingRecommendation,
    SocialAssessmentConclusion,
    TransitionOutcome,
)
from hub.aggregates.notice import Notice
from hub.aggregates.referral import Referral
from hub.bootstrap import bootstrap
from hub.errors import GuardViolation, IllegalTransition
from tests.builders import CIM_OFFICER, GTA_OFFICER, INSPECTOR, INVESTIGATOR, MANAGER, referral_content
from tests.conftest import TEST_MASTER_KEY

# -- "refused, and nothing was stored" ------------------------------------------------------------


def store_position(app: Any) -> int:
    return app.store.recorder.max_notification_id() or 0


@contextmanager
def refused(app: Any, error: type[Exception] = GuardViolation, rule: str | None = None) -> Iterator[Any]:
    """The body must raise ``error`` (with ``rule`` for a GuardViolation) and append no event."""
    before = store_position(app)
    with pytest.raises(error) as info:
        yield info
    assert store_position(app) == before, "a refused command appended events"
    if rule is not None:
        assert info.value.rule == rule, f"expected rule {rule!r}, got {info.value.rule!r}: {info.value}"


@contextmanager
def illegal(app: Any, state: str, command: str) -> Iterator[Any]:
    """The body must raise IllegalTransition naming ``state`` and ``command``, appending nothing."""
    with refused(app, IllegalTransition) as info:
        yield info
    message = str(info.value)
    assert state in message and command in message, message
    assert info.value.state == state
    assert info.value.command == command


# -- referrals and cases --------------------------------------------------------------------------


def submit(app: Any, actor=INSPECTOR, child_id: UUID | None = None, recipient: str | None = None, **content) -> Referral:
    request = referral_content(**content)
    return app.referrals.submit_referral(actor, request, child_id=child_id, recipient_agency=recipient).referral


def notices_about(app: Any, subject: Any) -> list[Notice]:
    """The notices raised on a referral or case."""
    with app.dossiers.dossier(subject.child_id) as dossier:
        return [n for n in dossier.notices if n.subject_id == subject.id]


def told(app: Any, subject: Any) -> list[tuple[str | None, str, str]]:
    """(agency told, its kind, the manual's notice) for each notice raised on ``subject``, by notice then body."""
    return sorted(((n.recipient_agency, n.recipient_kind, n.rule) for n in notices_about(app, subject)),
                  key=lambda t: (t[2], t[1]))


def open_case(app: Any, manager=MANAGER, **content) -> Case:
    """A referral routed to the manager's CAM, acknowledged and accepted: a case in intake."""
    referral = submit(app, **content)
    app.referrals.acknowledge_referral(manager, referral.id)
    return app.referrals.accept_referral(manager, referral.id)


def readmit(app: Any, child_id: UUID, manager=MANAGER, recipient: str | None = None) -> Case:
    referral = submit(app, child_id=child_id, recipient=recipient)
    app.referrals.acknowledge_referral(manager, referral.id)
    return app.referrals.accept_referral(manager, referral.id)


def case(app: Any, case_id: UUID, actor=MANAGER) -> Case:
    return app.cases.case_for(actor, case_id)


# -- steps along the primary lifecycle (cam-csc-manual §3.3) --------------------------------------

Step = Callable[[Any, UUID], Any]

IA = InitialAssessmentOutcome
SA = SocialAssessmentConclusion
CPM = MeetingRecommendation
CPR = CarePlanReviewOutcome
TR = TransitionOutcome
APPROVERS = [CarePlanApprover.GTA, CarePlanApprover.CIM, CarePlanApprover.CARE_PROVIDER]


def assign(app, cid):  # T04
    return app.cases.assign_social_worker(MANAGER, cid, "d.seitkali", False)


def assigned_between(app: Any, frozen: Any) -> tuple[Referral, Case, datetime, datetime]:
    """A case opened, then given a social worker an hour later; with a moment after each (for replays)."""
    referral = submit(app)
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    case = app.referrals.accept_referral(MANAGER, referral.id)
    opened = frozen.advance(timedelta(minutes=10))
    frozen.advance(timedelta(hours=1))
    assign(app, case.id)
    return referral, case, opened, frozen.advance(timedelta(minutes=10))


def initial(outcome: IA) -> Step:  # T06, T07, T09, T12
    return lambda app, cid: app.cases.conclude_initial_assessment(MANAGER, cid, outcome, "initial assessment", None)


def social(conclusion: SA) -> Step:  # T13-T18
    return lambda app, cid: app.cases.conclude_social_assessment(MANAGER, cid, conclusion, "social assessment", None)


def meeting(recommendation: CPM) -> Step:  # T19-T22
    return lambda app, cid: app.cases.hold_protection_meeting(MANAGER, cid, recommendation, "minutes", None)


def finalise(parent_agreed: bool = True, foreign_case_manager: str | None = None) -> Step:  # T23, T24
    return lambda app, cid: app.cases.finalise_protection_plan(MANAGER, cid, "plan", parent_agreed, foreign_case_manager)


def charge(app, cid):  # the police facet: a parent is charged (8.5.6)
    return app.cases.record_charge(INVESTIGATOR, cid, uuid.uuid4(), "Rustam Karimov", "neglect")


def develop(app, cid):  # T30
    return app.cases.develop_care_plan(MANAGER, cid, "care plan", list(APPROVERS))


def approve_all(app, cid):  # T31
    app.cases.approve_care_plan(GTA_OFFICER, cid, CarePlanApprover.GTA)
    app.cases.approve_care_plan(CIM_OFFICER, cid, CarePlanApprover.CIM)
    return app.cases.approve_care_plan(MANAGER, cid, CarePlanApprover.CARE_PROVIDER)


def care_review(outcome: CPR) -> Step:  # T32-T34
    return lambda app, cid: app.cases.review_care_plan(MANAGER, cid, outcome, "review minutes")


def transition(outcome: TR, receiving_body: str | None = "aftercare department, Almaty akimat") -> Step:  # T35-T37
    return lambda app, cid: app.cases.complete_transition(MANAGER, cid, outcome, receiving_body)


_SA = [assign, initial(IA.SIGNIFICANT_HARM_CONCERN)]
_CARE = [*_SA, social(SA.REMOVAL_TO_ALTERNATIVE_CARE)]
_RETURN = [*_SA, social(SA.REUNIFICATION_MEETING), meeting(CPM.RETURN_PLAN)]

# Named routes to each state. "return_plan_drafting" is S8 on the return variant (T21).
PATHS: dict[str, list[Step]] = {
    "intake": [],
    "initial_assessment": [assign],
    "awaiting_support_referral": [assign, initial(IA.SUPPORT_SERVICES)],
    "awaiting_criminal_outcome": [charge, assign, initial(IA.NO_FURTHER_ACTION)],
    "social_assessment": _SA,
    "cp_meeting_pending": [*_SA, social(SA.CHILD_PROTECTION_MEETING)],
    "cp_plan_drafting": [*_SA, social(SA.CHILD_PROTECTION_MEETING), meeting(CPM.CHILD_PROTECTION_PLAN)],
    "cp_plan_active": [*_SA, social(SA.CHILD_PROTECTION_MEETING), meeting(CPM.CHILD_PROTECTION_PLAN), finalise()],
    "return_plan_drafting": _RETURN,
    "return_in_progress": [*_RETURN, finalise(parent_agreed=False, foreign_case_manager="U. Karimov, Tashkent")],
    "care_plan_drafting": _CARE,
    "care_plan_pending_approval": [*_CARE, develop],
    "care_plan_active": [*_CARE, develop, approve_all],
    "transition_from_care": [*_CARE, develop, approve_all, care_review(CPR.NO_LONGER_NECESSARY)],
    "post_care_monitoring": [
        *_CARE,
        develop,
        approve_all,
        care_review(CPR.NO_LONGER_NECESSARY),
        transition(TR.POST_CARE_MONITORING),
    ],
    "closed": [assign, initial(IA.NO_FURTHER_ACTION)],
}


def state_of(path: str) -> str:
    return "cp_plan_drafting" if path == "return_plan_drafting" else path


def drive_to(app: Any, path: str, **content) -> Case:
    """A fresh case (new child) driven through the service layer to the state named by ``path``."""
    case_id = open_case(app, **content).id
    for step in PATHS[path]:
        step(app, case_id)
    driven = case(app, case_id)
    assert driven.state == state_of(path), f"drive_to({path!r}) ended in {driven.state}"
    return driven


# Discharge follow-ups at 1, 3, 6 and 12 months (D40), as days after discharge.
FOLLOW_UP_DAYS = {1: 31, 3: 92, 6: 183, 12: 366}


def follow_up_on_time(app: Any, frozen: Any, case_id: UUID, concern_at_12: bool = False) -> None:
    """Records the four follow-ups when each falls due, the clock moving from the discharge."""
    elapsed = 0
    for month, day in FOLLOW_UP_DAYS.items():
        frozen.advance(timedelta(days=day - elapsed))
        elapsed = day
        app.cases.record_follow_up(MANAGER, case_id, month, concern_at_12 and month == 12, f"{month}-month visit")


# -- the projections ----------------------------------------------------------------------------


def rebuilt_from_nothing(app: Any, store_url: str) -> Any:
    """A new application on the same store whose views were emptied first: a rebuild from the log alone."""
    with app.views.store.sql.transaction() as cursor:
        for table in ("hub_views", "hub_view_members", "hub_view_tracking", "hub_inbox", "hub_child_index"):
            cursor.execute(f"DELETE FROM {{{table}}}", [table])
    rebuilt = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    rebuilt.views.catch_up()
    return rebuilt
