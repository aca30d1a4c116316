"""Request and response bodies for case management."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from hub.actor import Actor
from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import (
    CarePlanApprover,
    CarePlanReviewOutcome,
    CaseState,
    InitialAssessmentOutcome,
    IntakeAction,
    MeetingRecommendation,
    PlanReviewOutcome,
    SocialAssessmentConclusion,
    TransitionOutcome,
)
from hub.aggregates.vocabulary import PlacementType

Text = Field(..., min_length=1, max_length=20_000)
FollowUp = Field(None, max_length=2000, description="Annex E: details of any follow-up services")


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RecordIntakeAction(_Command):
    action: IntakeAction
    note: str | None = Field(None, max_length=2000)


class ReportEmergency(_Command):
    description: str = Text


class AssignSocialWorker(_Command):
    social_worker: str = Field(..., min_length=1, max_length=200)
    evidence_of_harm: bool = Field(..., description="decides whether the initial assessment is due in 48 or 72 hours")


class ConcludeInitialAssessment(_Command):
    outcome: InitialAssessmentOutcome
    summary: str = Text
    follow_up: str | None = FollowUp


class RecordCharge(_Command):
    charge_id: UUID
    person: str = Field(..., min_length=1, max_length=200, description="the parent or legal representative charged")
    offence: str = Field(..., min_length=1, max_length=500)


class RecordCriminalOutcome(_Command):
    charge_id: UUID
    found_responsible: bool


class RecordSupportReferralOutcome(_Command):
    provider: str = Field(..., min_length=1, max_length=200)
    accepted: bool
    reason: str | None = Field(None, max_length=2000)
    follow_up: str | None = FollowUp


class ConcludeSocialAssessment(_Command):
    conclusion: SocialAssessmentConclusion
    summary: str = Text
    follow_up: str | None = FollowUp


class HoldProtectionMeeting(_Command):
    recommendation: MeetingRecommendation
    minutes: str = Text
    follow_up: str | None = FollowUp


class FinaliseProtectionPlan(_Command):
    plan: str = Text
    parent_agreed: bool = Field(False, description="the parent's written agreement to follow the plan (8.8.4)")
    foreign_case_manager: str | None = Field(None, max_length=500, description="for a return plan (8.8.3e)")


class ReviewProtectionPlan(_Command):
    outcome: PlanReviewOutcome
    minutes: str = Text
    follow_up: str | None = FollowUp


class ConfirmSafeArrival(_Command):
    confirmed_by: str = Field(..., min_length=1, max_length=500)
    follow_up: str | None = FollowUp


class DevelopCarePlan(_Command):
    plan: str = Text
    approvers: list[CarePlanApprover] = Field(..., min_length=1)


class ApproveCarePlan(_Command):
    approver: CarePlanApprover


class ReviewCarePlan(_Command):
    outcome: CarePlanReviewOutcome
    minutes: str = Text


class CompleteTransition(_Command):
    outcome: TransitionOutcome
    receiving_body: str | None = Field(None, max_length=500)


class RecordFollowUp(_Command):
    month: int = Field(..., description="1, 3, 6 or 12 months after discharge")
    concern: bool
    notes: str = Text


class ReassessAfterFollowUp(_Command):
    reason: str = Text


class CloseAfterMonitoring(_Command):
    follow_up: str | None = FollowUp


class RecordPlacement(_Command):
    placement: PlacementType
    decision_reference: str = Field(..., min_length=1, max_length=200, description="the GTA/CIM decision number")


class CaseView(BaseModel):
    id: UUID
    case_number: str
    state: CaseState
    version: int
    child_id: UUID
    managing_agency: str
    referral_ids: list[UUID]
    previous_case_id: UUID | None
    social_worker: str | None
    evidence_of_harm: bool
    intake_actions: dict[IntakeAction, datetime]
    emergency_reported_at: datetime | None
    charge_pending: bool
    placement: PlacementType | None
    placement_since: datetime | None
    plan_version: int
    plan_started_at: datetime | None
    care_approvals_required: list[CarePlanApprover]
    care_approvals: list[CarePlanApprover]
    reviews: list[datetime]
    follow_ups: dict[int, bool]
    closure: dict[str, Any] | None
    opened_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, case: Case) -> CaseView:
        return cls(
            id=case.id,
            case_number=case.case_number,
            state=case.state,
            version=case.version,
            child_id=case.child_id,
            managing_agency=case.managing_agency,
            referral_ids=case.referral_ids,
            previous_case_id=case.previous_case_id,
            social_worker=case.social_worker,
            evidence_of_harm=case.evidence_of_harm,
            intake_actions=case.intake_actions,
            emergency_reported_at=case.emergency_reported_at,
            charge_pending=case.charge_pending,
            placement=case.placement,
            placement_since=case.placement_since,
            plan_version=case.plan_version,
            plan_started_at=case.plan_started_at,
            care_approvals_required=sorted(case.care_approvals_required),
            care_approvals=sorted(case.care_approvals),
            reviews=case.reviews,
            follow_ups=case.follow_ups,
            closure=case.closure,
            opened_at=case.created_on,
            updated_at=case.modified_on,
        )


class Recorded(BaseModel):
    """What a partner body learns when it records its part of a case: that it was recorded."""

    case_id: UUID
    recorded: str
    at: datetime


class TimelineEntry(BaseModel):
    at: datetime
    version: int
    event: str
    agency: str
    role: str
    user: str
    details: dict[str, Any]

    @classmethod
    def of(cls, event: Any) -> TimelineEntry:
        actor: Actor = event.actor
        skip = {"actor", "timestamp", "originator_id", "originator_version", "originator_topic"}
        details = {k: v for k, v in vars(event).items() if k not in skip}
        return cls(
            at=event.timestamp,
            version=event.originator_version,
            event=type(event).__name__,
            agency=actor.agency,
            role=actor.role,
            user=actor.user,
            details=details,
        )
