"""Request and response bodies for case management."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from hub.actor import Actor
from hub.aggregates.case_vocabulary import (
    CarePlanApprover,
    CarePlanReviewOutcome,
    InitialAssessmentOutcome,
    IntakeAction,
    MeetingRecommendation,
    PlanReviewOutcome,
    SocialAssessmentConclusion,
    SupporterStep,
    TransitionOutcome,
)
from hub.aggregates.erasure import ERASED_VALUE
from hub.aggregates.vocabulary import PlacementType
from hub.crypto.erased import ERASED

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


class RecordLegalBasis(_Command):
    recipient: str = Field(..., min_length=1, max_length=64, description="a kind of body (e.g. police_investigation) or an agency code")
    basis: str = Field(..., min_length=1, max_length=500, description="the provision of law")
    reference: str = Field(..., min_length=1, max_length=200, description="the request or decision number")


class RequestMedicalExamination(_Command):
    examination_id: UUID
    health_agency: str = Field(..., min_length=1, max_length=64)
    reason: str = Text


class ReportMedicalExamination(_Command):
    examination_id: UUID
    findings: str = Text


class RecordSupporterStep(_Command):
    step: SupporterStep
    note: str | None = Field(None, max_length=2000)


class AmendPlan(_Command):
    plan: str = Text


class ReviewPlacement(_Command):
    minutes: str = Text


class RecordPlacement(_Command):
    placement: PlacementType
    decision_reference: str = Field(..., min_length=1, max_length=200, description="the GTA/CIM decision number")


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
        # An erased child's events keep their personal attributes as ERASED: shown as the views show them.
        details = {k: ERASED_VALUE if v is ERASED else v for k, v in vars(event).items() if k not in skip}
        return cls(
            at=event.timestamp,
            version=event.originator_version,
            event=type(event).__name__,
            agency=actor.agency,
            role=actor.role,
            user=actor.user,
            details=details,
        )
