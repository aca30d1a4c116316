"""A CAM/CSC child protection case (cam-csc-manual §3.2-3.3, transitions T03-T39).

The case state is the primary lifecycle; placement, emergencies, charges and
intake actions are facets (see :mod:`hub.aggregates.case_facets`), a move to
another centre is :mod:`hub.aggregates.case_transfer`, the social worker's
reassignment, the risk level and parental-rights proceedings are
:mod:`hub.aggregates.case_people`. Every transition event
records the state it leads to, so the log reads on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from hub import clock
from hub.actor import Actor
from hub.aggregates.case_people import CasePeople
from hub.aggregates.case_plan import PlanItem, stored_items
from hub.aggregates.case_vocabulary import (
    FOLLOW_UP_MONTHS,
    OPEN_STATES,
    CarePlanApprover,
    CarePlanReviewOutcome,
    CaseState,
    InitialAssessmentOutcome,
    MeetingRecommendation,
    PlanReviewOutcome,
    SocialAssessmentConclusion,
    TransitionOutcome,
)
from hub.aggregates.child import ChildFacts
from hub.aggregates.vocabulary import NON_RETURNABLE, WITHOUT_PARENTAL_CARE
from hub.errors import GuardViolation
from hub.months import add_months, months_between

S = CaseState
MINIMUM_AGE = 3  # CAMs/CSC have no jurisdiction under 3 (L801-803)
ADULTHOOD = 18
CPP_MAX_MONTHS = 12  # D27
# A follow-up visit may take place up to a week before its month falls due
# (docs/decisions/0003); earlier than that it is not the 1/3/6/12-month review.
FOLLOW_UP_EARLY = timedelta(days=7)

_IA_TARGET = {
    InitialAssessmentOutcome.NO_FURTHER_ACTION: S.CLOSED,  # T06
    InitialAssessmentOutcome.SUPPORT_SERVICES: S.AWAITING_SUPPORT_REFERRAL,  # T07
    InitialAssessmentOutcome.SIGNIFICANT_HARM_CONCERN: S.SOCIAL_ASSESSMENT,  # T12
}
_SA_TARGET = {
    SocialAssessmentConclusion.NO_FURTHER_ACTION: S.CLOSED,  # T13
    SocialAssessmentConclusion.SUPPORT_SERVICES: S.AWAITING_SUPPORT_REFERRAL,  # T14
    SocialAssessmentConclusion.CHILD_PROTECTION_MEETING: S.CP_MEETING_PENDING,  # T15
    SocialAssessmentConclusion.REUNIFICATION_MEETING: S.CP_MEETING_PENDING,  # T16
    SocialAssessmentConclusion.REMOVAL_TO_ALTERNATIVE_CARE: S.CARE_PLAN_DRAFTING,  # T17
    SocialAssessmentConclusion.ALTERNATIVE_CARE_NO_REUNIFICATION: S.CARE_PLAN_DRAFTING,  # T18
}
_MEETING_TARGET = {
    MeetingRecommendation.NO_FURTHER_ACTION: S.CLOSED,  # T19
    MeetingRecommendation.SUPPORT_SERVICES: S.AWAITING_SUPPORT_REFERRAL,  # T19
    MeetingRecommendation.CHILD_PROTECTION_PLAN: S.CP_PLAN_DRAFTING,  # T20
    MeetingRecommendation.RETURN_PLAN: S.CP_PLAN_DRAFTING,  # T21
    MeetingRecommendation.CARE_PLAN: S.CARE_PLAN_DRAFTING,  # T22
}
_PLAN_REVIEW_TARGET = {
    PlanReviewOutcome.CONTINUE: S.CP_PLAN_ACTIVE,  # T26
    PlanReviewOutcome.AMEND: S.CP_PLAN_ACTIVE,  # T27
    PlanReviewOutcome.REASSESS: S.SOCIAL_ASSESSMENT,  # T28
    PlanReviewOutcome.NO_LONGER_NECESSARY: S.CLOSED,  # T29
}
_CARE_REVIEW_TARGET = {
    CarePlanReviewOutcome.CONTINUE: S.CARE_PLAN_ACTIVE,  # T32
    CarePlanReviewOutcome.AMEND: S.CARE_PLAN_ACTIVE,  # T32
    CarePlanReviewOutcome.NO_LONGER_NECESSARY: S.TRANSITION_FROM_CARE,  # T33
    CarePlanReviewOutcome.RETURN_ABROAD: S.RETURN_IN_PROGRESS,  # T34
}
_TRANSITION_TARGET = {
    TransitionOutcome.CHILD_PROTECTION_PLAN: S.CP_PLAN_DRAFTING,  # T35
    TransitionOutcome.POST_CARE_MONITORING: S.POST_CARE_MONITORING,  # T36
    TransitionOutcome.TRANSFERRED_AT_18: S.CLOSED,  # T37
}


class Case(CasePeople):
    kind = "case"

    @event("Opened")
    def __init__(
        self,
        actor: Actor,
        child_id: UUID,
        referral_id: UUID,
        managing_agency: str,
        case_number: str,
        previous_case_id: UUID | None,
    ) -> None:
        self._init_people()
        self.child_id = child_id
        self.referral_ids = [referral_id]
        self.managing_agency = managing_agency
        self.case_number = case_number
        self.previous_case_id = previous_case_id
        self.state = S.INTAKE
        self.social_worker: str | None = None
        self.evidence_of_harm = False
        self.assessment_directed_at: datetime | None = None
        self.initial_outcome: InitialAssessmentOutcome | None = None
        self.plan_version = 0
        self.plan_started_at: datetime | None = None
        self.plan_is_return = False
        self.care_approvals_required: set[CarePlanApprover] = set()
        self.care_approvals: set[CarePlanApprover] = set()
        self.reviews: list[datetime] = []
        self.follow_ups: dict[int, bool] = {}
        self.discharged_at: datetime | None = None
        self.closure: dict | None = None
        # When each step happened, for the deadline clocks (hub/deadlines): from event timestamps only.
        self.initial_assessment_concluded_at: datetime | None = None
        self.social_assessment_started_at: datetime | None = None
        self.social_assessment_concluded_at: datetime | None = None
        self.meeting_pending_since: datetime | None = None
        self.meeting_held_at: datetime | None = None
        self.protection_plan_pending_since: datetime | None = None
        self.protection_plan_finalised_at: datetime | None = None
        self.care_plan_pending_since: datetime | None = None
        self.care_plan_developed_at: datetime | None = None
        self.plan_kind: str | None = None  # the plan plan_started_at dates: "protection", "return" or "care"
        self.plan_ended_at: datetime | None = None
        self.amendment_requested_at: datetime | None = None
        self.plan_amended_at: datetime | None = None
        # The plan in force or being approved: its summary and items (docs/decisions/0052).
        self.plan: dict[str, Any] | None = None
        self.follow_ups_at: dict[int, datetime] = {}

    @staticmethod
    def check_can_open(child: ChildFacts) -> None:
        if child.age is not None and child.age < MINIMUM_AGE:
            raise GuardViolation(
                "8.1.1-under-3", "a child aged %(age)s is the GTA's, not the CAM/CSC's (L801-803, L819-821)",
                values={"age": child.age}
            )
        if child.age is not None and child.age >= ADULTHOOD:
            raise GuardViolation("L58-adult", "a person aged %(age)s is not a child (L58: a child is 0 to 18)",
                                 values={"age": child.age})

    @property
    def is_open(self) -> bool:
        return self.state != S.CLOSED

    # One place moves the state and, where a decision leads to closure, closes
    # the case with its Annex E reason. Guards run before any event is
    # triggered, so a refused command leaves nothing half-applied.

    def _transition(
        self,
        actor: Actor,
        command: str,
        target: CaseState,
        record,  # the decorated event method that records the decision
        follow_up: str | None = None,
        **details: object,
    ) -> None:
        if target == S.CLOSED:
            self._check_can_close(command)
        record(actor=actor, to_state=str(target), **details)
        if target == S.CLOSED:
            reason = f"{command}: {details.get('outcome', '')}".rstrip(": ")
            self._closed(actor=actor, reason=reason, follow_up_services=follow_up)

    def _check_can_close(self, command: str) -> None:
        if self.charge_pending:
            raise GuardViolation(
                "8.5.6-charge-pending",
                "cannot %(command)s: the case cannot close while a parent or legal representative faces charges about the child",
                values={"command": command},
                status=409,
            )

    @event("Closed")
    def _closed(self, actor: Actor, reason: str, follow_up_services: str | None) -> None:
        self.state = S.CLOSED
        self.closure = {"reason": reason, "follow_up_services": follow_up_services, "closed_at": self.modified_on}

    # T04: a social worker is assigned and directed to assess "immediately".

    def assign_social_worker(self, actor: Actor, social_worker: str, evidence_of_harm: bool) -> None:
        self.require_state("assign_social_worker", [S.INTAKE])
        if not social_worker.strip():
            raise GuardViolation("social-worker-required", "name the social worker", field="social_worker")
        self._transition(
            actor,
            "assign_social_worker",
            S.INITIAL_ASSESSMENT,
            self._social_worker_assigned,
            social_worker=social_worker.strip(),
            evidence_of_harm=evidence_of_harm,
        )

    @event("SocialWorkerAssigned")
    def _social_worker_assigned(self, actor: Actor, to_state: str, social_worker: str, evidence_of_harm: bool) -> None:
        self.state = CaseState(to_state)
        self.social_worker = social_worker
        self.evidence_of_harm = evidence_of_harm
        self.assessment_directed_at = self.modified_on

    # T06, T07, T09, T12: the initial assessment decision (8.5.1).

    def conclude_initial_assessment(
        self, actor: Actor, outcome: InitialAssessmentOutcome, summary: str, follow_up: str | None = None
    ) -> None:
        self.require_state("conclude_initial_assessment", [S.INITIAL_ASSESSMENT])
        target = _IA_TARGET[outcome]
        if target != S.SOCIAL_ASSESSMENT and self.charge_pending:
            target = S.AWAITING_CRIMINAL_OUTCOME  # T09: the file stays open until the case is complete
        self._transition(
            actor,
            "conclude_initial_assessment",
            target,
            self._initial_assessment_concluded,
            follow_up,
            outcome=str(outcome),
            summary=summary,
        )

    @event("InitialAssessmentConcluded")
    def _initial_assessment_concluded(self, actor: Actor, to_state: str, outcome: str, summary: str) -> None:
        self.state = CaseState(to_state)
        self.initial_outcome = InitialAssessmentOutcome(outcome)
        self.initial_assessment_concluded_at = self.modified_on
        if self.state == S.SOCIAL_ASSESSMENT:  # 8.5.7a: the social worker is appointed to assess (D21)
            self.social_assessment_started_at = self.modified_on

    # T10, T11: the outcome of proceedings against a parent (8.5.6).

    def record_criminal_outcome(self, actor: Actor, charge_id: UUID, found_responsible: bool) -> None:
        self.require_state("record_criminal_outcome", OPEN_STATES)
        charge = self.charges.get(charge_id)
        if charge is None or charge["outcome"] is not None:
            raise GuardViolation("no-pending-charge", "there is no pending charge with this id", field="charge_id")
        target = self.state
        if self.state == S.AWAITING_CRIMINAL_OUTCOME and not self._other_charges_pending(charge_id):
            if found_responsible:
                target = S.SOCIAL_ASSESSMENT  # T11: update the assessment and reconsider
            elif self.initial_outcome == InitialAssessmentOutcome.SUPPORT_SERVICES:
                target = S.AWAITING_SUPPORT_REFERRAL  # T10 on the 8.5.3 route
            else:
                target = S.CLOSED  # T10
        outcome = "found_responsible" if found_responsible else "not_responsible"
        self._criminal_outcome_recorded(
            actor=actor, to_state=str(target), charge_id=charge_id, outcome=outcome
        )
        if target == S.CLOSED:
            self._closed(actor=actor, reason=f"record_criminal_outcome: {outcome}", follow_up_services=None)

    def _other_charges_pending(self, charge_id: UUID) -> bool:
        return any(c["outcome"] is None for cid, c in self.charges.items() if cid != charge_id)

    @event("CriminalOutcomeRecorded")
    def _criminal_outcome_recorded(self, actor: Actor, to_state: str, charge_id: UUID, outcome: str) -> None:
        self.charges[charge_id]["outcome"] = outcome
        if to_state == S.SOCIAL_ASSESSMENT and self.state != S.SOCIAL_ASSESSMENT:  # T11
            self.social_assessment_started_at = self.modified_on
        self.state = CaseState(to_state)

    # T08: the NGO or another body accepts the family for support services (8.5.3-8.5.4).

    def record_support_referral_outcome(
        self, actor: Actor, provider: str, accepted: bool, reason: str | None, follow_up: str | None = None
    ) -> None:
        self.require_state("record_support_referral_outcome", [S.AWAITING_SUPPORT_REFERRAL])
        if not accepted and not (reason and reason.strip()):
            raise GuardViolation("reason-required", "a refusal by the provider comes with its reasons", field="reason")
        target = S.CLOSED if accepted else S.AWAITING_SUPPORT_REFERRAL
        self._transition(
            actor,
            "record_support_referral_outcome",
            target,
            self._support_referral_outcome_recorded,
            follow_up or (f"support services by {provider}" if accepted else None),
            outcome="accepted" if accepted else "refused",
            provider=provider,
            reason=reason,
        )

    @event("SupportReferralOutcomeRecorded")
    def _support_referral_outcome_recorded(
        self, actor: Actor, to_state: str, outcome: str, provider: str, reason: str | None
    ) -> None:
        self.state = CaseState(to_state)
        self._support_referral_answered(provider, outcome)

    # T13-T18: the social assessment conclusion (8.6.10).

    def conclude_social_assessment(
        self,
        actor: Actor,
        conclusion: SocialAssessmentConclusion,
        summary: str,
        child: ChildFacts,
        follow_up: str | None = None,
    ) -> None:
        self.require_state("conclude_social_assessment", [S.SOCIAL_ASSESSMENT])
        if conclusion in (
            SocialAssessmentConclusion.REUNIFICATION_MEETING,
            SocialAssessmentConclusion.ALTERNATIVE_CARE_NO_REUNIFICATION,
        ) and not (child.categories & WITHOUT_PARENTAL_CARE):
            raise GuardViolation(
                "8.6.10-separated-only",
                "conclusion %(conclusion)s applies only to a separated or unaccompanied child", values={"conclusion": conclusion},
                field="conclusion",
            )
        if conclusion == SocialAssessmentConclusion.REUNIFICATION_MEETING:
            self._check_may_return(child, "conclusion")
        self._transition(
            actor,
            "conclude_social_assessment",
            _SA_TARGET[conclusion],
            self._social_assessment_concluded,
            follow_up,
            outcome=str(conclusion),
            summary=summary,
        )

    @staticmethod
    def _check_may_return(child: ChildFacts, field: str) -> None:
        if child.categories & NON_RETURNABLE:
            raise GuardViolation(
                "8.6.8-no-return",
                "a child seeking asylum or granted refugee status shall not be returned to the country of origin",
                field=field,
            )

    @event("SocialAssessmentConcluded")
    def _social_assessment_concluded(self, actor: Actor, to_state: str, outcome: str, summary: str) -> None:
        self.state = CaseState(to_state)
        self.social_assessment_concluded_at = self.modified_on
        if self.state == S.CP_MEETING_PENDING:
            self.meeting_pending_since = self.modified_on
        if self.state == S.CARE_PLAN_DRAFTING:
            self.care_plan_pending_since = self.modified_on

    # T19-T22: the child protection meeting (8.7.18-8.7.21).

    def hold_protection_meeting(
        self,
        actor: Actor,
        recommendation: MeetingRecommendation,
        minutes: str,
        child: ChildFacts,
        follow_up: str | None = None,
        professional_discussion: str | None = None,
    ) -> None:
        """The minutes any member may have, and apart from them the professional discussion, held without the family
        and the supporter (cam-csc-manual L3121-3127, P-12): the family's copy of the minutes leaves it out
        (L3272-3275), and only the professional members are sent it (notices.yaml cam:N31)."""
        self.require_state("hold_protection_meeting", [S.CP_MEETING_PENDING])
        if recommendation == MeetingRecommendation.RETURN_PLAN:
            self._check_may_return(child, "recommendation")
        self._transition(
            actor,
            "hold_protection_meeting",
            _MEETING_TARGET[recommendation],
            self._protection_meeting_held,
            follow_up,
            outcome=str(recommendation),
            minutes=minutes,
            professional_discussion=(professional_discussion or "").strip() or None,
        )

    @event("ProtectionMeetingHeld")
    def _protection_meeting_held(
        self, actor: Actor, to_state: str, outcome: str, minutes: str, professional_discussion: str | None = None
    ) -> None:  # the discussion's default: meetings recorded before it was asked for load unchanged
        self.state = CaseState(to_state)
        self.plan_is_return = outcome == MeetingRecommendation.RETURN_PLAN
        self.meeting_held_at = self.modified_on
        if self.state == S.CP_PLAN_DRAFTING:
            self.protection_plan_pending_since = self.modified_on
        if self.state == S.CARE_PLAN_DRAFTING:
            self.care_plan_pending_since = self.modified_on

    # T23, T24: the child protection plan is finalised (8.8, Annex H).

    def finalise_protection_plan(
        self, actor: Actor, plan: str, parent_agreed: bool, foreign_case_manager: str | None, child: ChildFacts,
        items: Sequence[PlanItem] = (),
    ) -> None:
        self.require_state("finalise_protection_plan", [S.CP_PLAN_DRAFTING])
        if self.plan_is_return:
            # The child may have claimed asylum since the meeting recommended return.
            self._check_may_return(child, "plan")
            if not (foreign_case_manager and foreign_case_manager.strip()):
                raise GuardViolation(
                    "8.8.3e-foreign-case-manager",
                    "a return plan names the case manager in the country of reunification",
                    field="foreign_case_manager",
                )
            target = S.RETURN_IN_PROGRESS
        else:
            if not parent_agreed:
                raise GuardViolation(
                    "8.8.4-parent-agreement",
                    "a child protection plan needs the parent's written agreement to follow it",
                    field="parent_agreed",
                )
            target = S.CP_PLAN_ACTIVE
        self._transition(
            actor,
            "finalise_protection_plan",
            target,
            self._protection_plan_finalised,
            plan=plan,
            foreign_case_manager=foreign_case_manager,
            plan_items=stored_items(items),
        )

    # ``plan_items``, not ``items``: privacy.yaml keeps an event's ``items`` in clear (the records a read listed).
    # Events stored before plans had items load with none (docs/decisions/0052).
    @event("ProtectionPlanFinalised")
    def _protection_plan_finalised(
        self, actor: Actor, to_state: str, plan: str, foreign_case_manager: str | None,
        plan_items: list[dict[str, Any]] | None = None,
    ) -> None:
        self.state = CaseState(to_state)
        self._set_plan(plan, plan_items)
        self.plan_version = 1
        self.plan_started_at = self.modified_on
        self.reviews = []
        self.protection_plan_finalised_at = self.modified_on
        self.plan_kind = "return" if self.state == S.RETURN_IN_PROGRESS else "protection"

    # T26-T29: reviews of the child protection plan (8.9.5).

    def review_protection_plan(
        self, actor: Actor, outcome: PlanReviewOutcome, minutes: str, follow_up: str | None = None
    ) -> None:
        self.require_state("review_protection_plan", [S.CP_PLAN_ACTIVE])
        if outcome in (PlanReviewOutcome.CONTINUE, PlanReviewOutcome.AMEND) and self.plan_started_at is not None:
            if months_between(self.plan_started_at, clock.now()) >= CPP_MAX_MONTHS:
                raise GuardViolation(
                    "8.9.5d-12-months",
                    "a child protection plan runs at most 12 months without a new social assessment",
                    field="outcome",
                )
        self._transition(
            actor,
            "review_protection_plan",
            _PLAN_REVIEW_TARGET[outcome],
            self._protection_plan_reviewed,
            follow_up,
            outcome=str(outcome),
            minutes=minutes,
        )

    @event("ProtectionPlanReviewed")
    def _protection_plan_reviewed(self, actor: Actor, to_state: str, outcome: str, minutes: str) -> None:
        self.state = CaseState(to_state)
        self.reviews.append(self.modified_on)
        if outcome == PlanReviewOutcome.AMEND:
            self.plan_version += 1
            self.amendment_requested_at = self.modified_on
        if self.state != S.CP_PLAN_ACTIVE:
            self.plan_ended_at = self.modified_on
        if self.state == S.SOCIAL_ASSESSMENT:  # T28
            self.social_assessment_started_at = self.modified_on

    # T27, T32: the plan as a review decided to alter it, within 7 working days (D29, D38).

    def amend_plan(self, actor: Actor, plan: str, items: Sequence[PlanItem] = ()) -> None:
        self.require_state("amend_plan", [S.CP_PLAN_ACTIVE, S.CARE_PLAN_ACTIVE])
        requested = self.amendment_requested_at
        if (
            requested is None
            or (self.plan_started_at is not None and requested < self.plan_started_at)
            or (self.plan_amended_at is not None and self.plan_amended_at >= requested)
        ):
            raise GuardViolation(
                "no-amendment-due", "no review of this plan has decided to alter it since its last amendment"
            )
        if not plan.strip():
            raise GuardViolation("plan-required", "record the amended plan", field="plan")
        self._plan_amended(actor=actor, plan=plan.strip(), plan_items=stored_items(items))

    @event("PlanAmended")
    def _plan_amended(self, actor: Actor, plan: str, plan_items: list[dict[str, Any]] | None = None) -> None:
        self.plan_amended_at = self.modified_on
        self._set_plan(plan, plan_items)

    def _set_plan(self, summary: str, items: list[dict[str, Any]] | None) -> None:
        self.plan = {"summary": summary, "items": items or [], "at": self.modified_on}

    # T25: the foreign case manager confirms the child's safe arrival.

    def confirm_safe_arrival(self, actor: Actor, confirmed_by: str, follow_up: str | None = None) -> None:
        self.require_state("confirm_safe_arrival", [S.RETURN_IN_PROGRESS])
        if not confirmed_by.strip():
            raise GuardViolation("confirmation-required", "name who confirmed the arrival", field="confirmed_by")
        self._transition(
            actor,
            "confirm_safe_arrival",
            S.CLOSED,
            self._safe_arrival_confirmed,
            follow_up,
            outcome="safe_arrival",
            confirmed_by=confirmed_by.strip(),
        )

    @event("SafeArrivalConfirmed")
    def _safe_arrival_confirmed(self, actor: Actor, to_state: str, outcome: str, confirmed_by: str) -> None:
        self.state = CaseState(to_state)

    # T30, T31: the care plan is written, then approved by every body that must sign it (8.10).

    def develop_care_plan(
        self, actor: Actor, plan: str, approvers: list[CarePlanApprover], items: Sequence[PlanItem] = ()
    ) -> None:
        self.require_state("develop_care_plan", [S.CARE_PLAN_DRAFTING])
        required = {CarePlanApprover.GTA, CarePlanApprover.CIM, CarePlanApprover.CARE_PROVIDER}
        missing = required - set(approvers)
        if missing:
            raise GuardViolation(
                "8.10.10-approvers",
                "a care plan is approved by the GTA, the CIM and the care provider; missing: %(missing)s",
                values={"missing": ", ".join(sorted(missing))},
                field="approvers",
            )
        self._transition(
            actor,
            "develop_care_plan",
            S.CARE_PLAN_PENDING_APPROVAL,
            self._care_plan_developed,
            plan=plan,
            approvers=sorted(str(a) for a in approvers),
            plan_items=stored_items(items),
        )

    @event("CarePlanDeveloped")
    def _care_plan_developed(
        self, actor: Actor, to_state: str, plan: str, approvers: list[str], plan_items: list[dict[str, Any]] | None = None
    ) -> None:
        self.state = CaseState(to_state)
        self._set_plan(plan, plan_items)
        self.care_approvals_required = {CarePlanApprover(a) for a in approvers}
        self.care_approvals = set()
        self.care_plan_developed_at = self.modified_on

    def approve_care_plan(self, actor: Actor, approver: CarePlanApprover) -> None:
        self.require_state("approve_care_plan", [S.CARE_PLAN_PENDING_APPROVAL])
        if approver not in self.care_approvals_required:
            raise GuardViolation("not-an-approver", "%(approver)s is not asked to approve this plan",
                                 values={"approver": approver}, field="approver")
        if approver in self.care_approvals:
            raise GuardViolation("already-approved", "%(approver)s has already approved",
                                 values={"approver": approver}, field="approver")
        complete = self.care_approvals | {approver} == self.care_approvals_required
        target = S.CARE_PLAN_ACTIVE if complete else S.CARE_PLAN_PENDING_APPROVAL
        self._transition(actor, "approve_care_plan", target, self._care_plan_approved, approver=str(approver))

    @event("CarePlanApproved")
    def _care_plan_approved(self, actor: Actor, to_state: str, approver: str) -> None:
        self.care_approvals.add(CarePlanApprover(approver))
        self.state = CaseState(to_state)
        if self.state == S.CARE_PLAN_ACTIVE:
            self.plan_started_at = self.modified_on
            self.reviews = []
            self.plan_kind = "care"

    # T32-T34: reviews of the care plan (8.11.16).

    def review_care_plan(self, actor: Actor, outcome: CarePlanReviewOutcome, minutes: str, child: ChildFacts) -> None:
        self.require_state("review_care_plan", [S.CARE_PLAN_ACTIVE])
        if outcome == CarePlanReviewOutcome.RETURN_ABROAD:
            self._check_may_return(child, "outcome")
        self._transition(
            actor,
            "review_care_plan",
            _CARE_REVIEW_TARGET[outcome],
            self._care_plan_reviewed,
            outcome=str(outcome),
            minutes=minutes,
        )

    @event("CarePlanReviewed")
    def _care_plan_reviewed(self, actor: Actor, to_state: str, outcome: str, minutes: str) -> None:
        self.state = CaseState(to_state)
        self.reviews.append(self.modified_on)
        if outcome == CarePlanReviewOutcome.AMEND:
            self.amendment_requested_at = self.modified_on
        if self.state != S.CARE_PLAN_ACTIVE:
            self.plan_ended_at = self.modified_on

    # T35-T37: how the transition from care ends (8.11.17-8.11.18).

    def complete_transition(
        self, actor: Actor, outcome: TransitionOutcome, receiving_body: str | None, child: ChildFacts
    ) -> None:
        self.require_state("complete_transition", [S.TRANSITION_FROM_CARE])
        adult = child.age is not None and child.age >= ADULTHOOD
        if outcome == TransitionOutcome.TRANSFERRED_AT_18 and not adult:
            raise GuardViolation(
                "8.11.18c-at-18", "a case is transferred at 18 only once the child has turned 18", field="outcome"
            )
        if outcome != TransitionOutcome.TRANSFERRED_AT_18 and adult:
            raise GuardViolation("8.11.18-adult", "the young person is 18: transfer the case", field="outcome")
        if outcome != TransitionOutcome.CHILD_PROTECTION_PLAN and not (receiving_body and receiving_body.strip()):
            raise GuardViolation(
                "8.11.18-receiving-body", "name the authority that takes over the aftercare", field="receiving_body"
            )
        self._transition(
            actor,
            "complete_transition",
            _TRANSITION_TARGET[outcome],
            self._transition_completed,
            f"transferred to {receiving_body}" if receiving_body else None,
            outcome=str(outcome),
            receiving_body=receiving_body,
        )

    @event("TransitionCompleted")
    def _transition_completed(self, actor: Actor, to_state: str, outcome: str, receiving_body: str | None) -> None:
        self.state = CaseState(to_state)
        self.plan_is_return = False
        self.follow_ups = {}
        self.follow_ups_at = {}
        self.discharged_at = self.modified_on if self.state == S.POST_CARE_MONITORING else None

    # T38: monitoring at 1, 3, 6 and 12 months after discharge (8.11.18b, D40).

    def record_follow_up(self, actor: Actor, month: int, concern: bool, notes: str) -> None:
        self.require_state("record_follow_up", [S.POST_CARE_MONITORING])
        if month not in FOLLOW_UP_MONTHS:
            raise GuardViolation("follow-up-month", "follow-ups are at months %(months)s",
                                 values={"months": FOLLOW_UP_MONTHS}, field="month")
        if month in self.follow_ups:
            raise GuardViolation("follow-up-recorded", "the %(month)s-month follow-up is recorded",
                                 values={"month": month}, field="month")
        earlier = [m for m in FOLLOW_UP_MONTHS if m < month and m not in self.follow_ups]
        if earlier:
            raise GuardViolation(
                "follow-up-order", "record the %(earlier)s-month follow-up first", values={"earlier": earlier[0]}, field="month"
            )
        assert self.discharged_at is not None  # set on entering post-care monitoring
        due = add_months(self.discharged_at, month)
        if clock.now() < due - FOLLOW_UP_EARLY:
            raise GuardViolation(
                "D40-follow-up-not-due",
                "the %(month)s-month follow-up is due on %(due)s, %(month)s month(s) after discharge",
                values={"month": month, "due": due.date().isoformat()},
                field="month",
            )
        self._follow_up_recorded(actor=actor, month=month, concern=concern, notes=notes)

    @event("FollowUpRecorded")
    def _follow_up_recorded(self, actor: Actor, month: int, concern: bool, notes: str) -> None:
        self.follow_ups[month] = concern
        self.follow_ups_at[month] = self.modified_on

    def close_after_monitoring(self, actor: Actor, follow_up: str | None = None) -> None:
        self.require_state("close_after_monitoring", [S.POST_CARE_MONITORING])
        last = FOLLOW_UP_MONTHS[-1]
        if last not in self.follow_ups:
            raise GuardViolation("8.11.18b-one-year", "a case closes after the one-year follow-up")
        if self.follow_ups[last]:
            raise GuardViolation(
                "8.11.18b-concern", "the one-year follow-up found a concern: refer or reassess instead of closing"
            )
        self._check_can_close("close_after_monitoring")
        self._closed(
            actor=actor, reason="close_after_monitoring: one-year follow-up without concern", follow_up_services=follow_up
        )

    def reassess_after_follow_up(self, actor: Actor, reason: str) -> None:
        """A follow-up found a concern: the manual is silent (T38 gap), so the case goes back to a
        social assessment rather than staying in monitoring for good (docs/decisions/0003)."""
        self.require_state("reassess_after_follow_up", [S.POST_CARE_MONITORING])
        if not any(self.follow_ups.values()):
            raise GuardViolation(
                "T38-no-concern", "no follow-up found a concern: continue monitoring or close after a year"
            )
        if not reason.strip():
            raise GuardViolation("reason-required", "say why the child is reassessed", field="reason")
        self._transition(
            actor, "reassess_after_follow_up", S.SOCIAL_ASSESSMENT, self._reassessed, reason=reason.strip()
        )

    @event("ReassessedAfterFollowUp")
    def _reassessed(self, actor: Actor, to_state: str, reason: str) -> None:
        self.state = CaseState(to_state)
        self.social_assessment_started_at = self.modified_on

    # T39 lives in the service: a new referral for a child whose case is closed
    # opens a new case that names this one as its predecessor (a readmission).

    def attach_referral(self, actor: Actor, referral_id: UUID) -> None:
        """A further referral about a child whose case is open joins that case (8.1.3e-f)."""
        self.require_state("attach_referral", OPEN_STATES)
        self._referral_attached(actor=actor, referral_id=referral_id)

    @event("ReferralAttached")
    def _referral_attached(self, actor: Actor, referral_id: UUID) -> None:
        self.referral_ids.append(referral_id)
