"""Request and response bodies for case management.

Texts say their kind (hub/text.py): minutes, plans and findings are free text of
many lines; names and references are one line.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StrictInt

from hub.actor import Actor
from hub.aggregates.case_papers import ReviewReport
from hub.aggregates.case_people import ParentalRightsMeasure, ParentalRightsOutcome, RiskLevel
from hub.aggregates.case_plan import PlanItem
from hub.aggregates.case_vocabulary import (
    CarePlanApprover,
    CarePlanReviewOutcome,
    InitialAssessmentOutcome,
    IntakeAction,
    MeetingKind,
    MeetingRecommendation,
    PlanReviewOutcome,
    SocialAssessmentConclusion,
    SupporterStep,
    TransitionOutcome,
)
from hub.aggregates.erasure import ERASED_VALUE
from hub.aggregates.vocabulary import BodyKind, PlacementType, ViewsCapacity
from hub.crypto.erased import ERASED
from hub.geography.place import Place
from hub.rows import Rows
from hub.text import Code, Line, Name, Text

Record = Annotated[str, Text(20_000)]  # minutes, plans, findings: what a meeting or an assessment records
Note = Annotated[str, Text(2000)]
FollowUp = Annotated[Note | None, Field(description="Annex E: details of any follow-up services")]


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RecordIntakeAction(_Command):
    action: IntakeAction
    note: Note | None = None


class ReportEmergency(_Command):
    description: Record


class AssignSocialWorker(_Command):
    social_worker: Annotated[str, Name(200)]
    evidence_of_harm: StrictBool = Field(
        ..., description="decides whether the initial assessment is due in 48 or 72 hours"
    )


class ConcludeInitialAssessment(_Command):
    outcome: InitialAssessmentOutcome
    summary: Record
    follow_up: FollowUp = None


class RecordCharge(_Command):
    charge_id: UUID
    person: Annotated[str, Name(200)] = Field(..., description="the parent or legal representative charged")
    offence: Annotated[str, Line(500)]


class RecordCriminalOutcome(_Command):
    charge_id: UUID
    found_responsible: StrictBool


class RecordSupportReferralOutcome(_Command):
    provider: Annotated[str, Line(200)]
    accepted: StrictBool
    reason: Note | None = None
    follow_up: FollowUp = None


class ConcludeSocialAssessment(_Command):
    conclusion: SocialAssessmentConclusion
    summary: Record
    follow_up: FollowUp = None


class HoldProtectionMeeting(_Command):
    recommendation: MeetingRecommendation
    minutes: Record
    follow_up: FollowUp = None
    professional_discussion: Record | None = Field(
        None,
        description="the discussion held without the child, the family and the supporter (cam-csc-manual L3121-3127):"
        " sent to the professional members only, never in the family's copy of the minutes (L3272-3275)",
    )


class PlanItemBody(_Command):
    """One line of the plan's arrangements (Annex H §4, Annex I §4; docs/decisions/0052)."""

    goal: Note = Field(..., description="the objective, and how it reduces or eliminates the risk of harm")
    task: Note = Field(..., description="what is the task: the service or action")
    responsible: Annotated[str, Code(64)] = Field(
        ..., description="the responsible body's agency code, or parent, legal_representative, carer or child"
    )
    responsible_person: Annotated[str, Name(200)] | None = Field(None, description="the person responsible, where named")
    due: date | None = Field(None, description="the date to complete it by; or give frequency")
    frequency: Annotated[str, Line(200)] | None = Field(None, description="how often, for a recurring service")

    def item(self) -> PlanItem:
        return PlanItem(self.goal, self.task, self.responsible, self.responsible_person, self.due, self.frequency)


# A plan's items (at most 40: Annex H's nine domains, several tasks each); a body with only ``plan`` is the
# plan as one text, as before decision 0052.
PlanItems = Annotated[list[PlanItemBody], Rows(3), Field(default_factory=list, max_length=40)]


class FinaliseProtectionPlan(_Command):
    plan: Record = Field(..., description="the overall summary: risks, objectives, next review (8.8.3)")
    items: PlanItems
    parent_agreed: StrictBool = Field(False, description="the parent's written agreement to follow the plan (8.8.4)")
    foreign_case_manager: Annotated[str, Line(500)] | None = Field(None, description="for a return plan (8.8.3e)")


class ReviewProtectionPlan(_Command):
    outcome: PlanReviewOutcome
    minutes: Record
    follow_up: FollowUp = None


class ConfirmSafeArrival(_Command):
    confirmed_by: Annotated[str, Line(500)]
    follow_up: FollowUp = None


class DevelopCarePlan(_Command):
    plan: Record = Field(..., description="the overall summary (8.10.3)")
    items: PlanItems
    approvers: list[CarePlanApprover] = Field(..., min_length=1)


class ApproveCarePlan(_Command):
    approver: CarePlanApprover


class ReviewCarePlan(_Command):
    outcome: CarePlanReviewOutcome
    minutes: Record


class CompleteTransition(_Command):
    outcome: TransitionOutcome
    receiving_body: Annotated[str, Line(500)] | None = None


class RecordFollowUp(_Command):
    month: StrictInt = Field(..., description="1, 3, 6 or 12 months after discharge")
    concern: StrictBool
    notes: Record


class ReassessAfterFollowUp(_Command):
    reason: Record


class CloseAfterMonitoring(_Command):
    follow_up: FollowUp = None


class RecordLegalBasis(_Command):
    recipient: Annotated[str, Code(64)] = Field(
        ..., description="a kind of body (e.g. police_investigation) or an agency code"
    )
    basis: Annotated[str, Line(500)] = Field(..., description="the provision of law")
    reference: Annotated[str, Line(200)] = Field(..., description="the request or decision number")


class RequestMedicalExamination(_Command):
    examination_id: UUID
    health_agency: Annotated[str, Code(64)]
    reason: Record


class ReportMedicalExamination(_Command):
    examination_id: UUID
    findings: Record


class RecordSupporterStep(_Command):
    step: SupporterStep = Field(
        ..., description="supporter_contacted or first_meeting_held; the NGO accepts or refuses by answering the request's notice"
    )
    note: Note | None = None


class IssueSupporterRecommendation(_Command):
    text: Note = Field(..., description="which other public bodies or actors to involve, and why (cam N45, ngo N17)")


class SubmitChildViews(_Command):
    capacity: ViewsCapacity
    views: Record = Field(..., description="the child's views, wishes and feelings (ngo N18)")
    supporter_view: Note | None = Field(None, description="with conveying_views_with_dissent: the supporter's own view")
    reasons: Note | None = Field(None, description="with conveying_views_with_dissent: why the supporter differs")


class RecordChildDeclinedSupporter(_Command):
    note: Note | None = Field(None, description="what the child said; the manager is told (cam N11, ngo N11)")


class AmendPlan(_Command):
    plan: Record = Field(..., description="the amended plan's overall summary")
    items: PlanItems


class ReviewPlacement(_Command):
    minutes: Record


class RecordPlacement(_Command):
    placement: PlacementType
    decision_reference: Annotated[str, Line(200)] = Field(..., description="the GTA/CIM decision number")
    institution: Annotated[str, Code(64)] | None = Field(
        None, description="the closed institution the child is placed in (an agency code; decision 0040): a "
        "liberty-depriving one, or one outside the child's home region, is flagged to the Ombudsman",
    )
    unit: Place | None = Field(
        None, description="where the child is placed when no institution is named (a family elsewhere): one "
        "outside the child's home region is flagged to the Ombudsman (decision 0040)",
    )


class DecideRemoval(_Command):
    reasons: Record = Field(..., description="why the child must be removed for protection (8.2.2); the GTA reads it")


class RecommendPlacement(_Command):
    placement: PlacementType
    reasons: Record = Field(..., description="the assessment's reasons, for the GTA (and the CIM) to decide on")
    tell_cim: StrictBool = Field(False, description="the CIM is told too, where it is relevant (cam N17)")


class ScheduleMeeting(_Command):
    meeting_id: UUID = Field(..., description="chosen by the caller: scheduling the same meeting twice is refused")
    meeting: MeetingKind
    at: AwareDatetime = Field(..., description="with its UTC offset: a bare local time names no moment")
    venue: Annotated[str, Line(500)] = Field(..., description="where, or how to dial in")
    invitees: list[Annotated[str, Code(64)]] = Field(
        default_factory=list, max_length=30, description="agency codes of the bodies invited; each is sent a notice"
    )


class RejectRecommendations(_Command):
    meeting_id: UUID = Field(..., description="the review whose recommendations the manager does not follow")
    recommendations: Record
    reasons: Record = Field(..., description="the written reasons every member of the review is sent (cam N33)")


class ApproveFamilyTracing(_Command):
    best_interests: Record = Field(..., description="why tracing is in the child's best interests (8.3.17)")
    risk_checked: StrictBool = Field(..., description="the risk tracing brings to the child was checked (8.3.18)")


class RequestTransfer(_Command):
    to_agency: Annotated[str, Code(64)] = Field(..., description="the receiving CAM/CSC's agency code")
    unit: Annotated[str, Code(64)] = Field(
        ..., description="the child's new unit, a KATO code of GET /v1/places, within the receiving centre's area"
    )
    reason: Record = Field(..., description="why the case moves; the receiving centre reads it")


class AcceptTransfer(_Command):
    pass


class DeclineTransfer(_Command):
    reasons: list[Note] = Field(..., min_length=1, max_length=20, description="why; the sending centre is told")


# What the centre sends in writing (docs/decisions/0044): each body's text is its notice's.

Services = list[Annotated[str, Line(200)]]


class ApplyForMedicalAuthority(_Command):
    application_id: UUID = Field(..., description="chosen by the caller: applying twice is refused")
    authority: BodyKind = Field(..., description="gta, or court where the manager applies to a court instead (8.3.22)")
    reason: Record = Field(..., description="why the child must be examined; the authority alone reads it")
    refused_by: Record = Field(..., description="who withheld consent and why (the child not mature)")


class ReferForSupport(_Command):
    provider: Annotated[str, Code(64)] = Field(..., description="the NGO or social protection body's agency code")
    services: Services = Field(..., min_length=1, max_length=10, description="the services asked for (Annex F D1)")
    reason: Record = Field(..., description="why the family needs them (Annex F D2)")


class IssueMeetingPack(_Command):
    meeting_id: UUID = Field(..., description="the child protection meeting to come")
    pack: Record = Field(..., description="8.7.11 a, c-h; confidential; every member invited reads it")
    health: Record | None = Field(None, description="8.7.11 b, health and development: health members only")


class IssueReviewReport(_Command):
    meeting_id: UUID = Field(..., description="the care-plan review to come")
    report_kind: ReviewReport = Field(..., description="progress: the social worker's (N39); members: the others' (N40)")
    report: Record


class RequestService(_Command):
    request_id: UUID = Field(..., description="chosen by the caller: requesting twice is refused")
    ngo: Annotated[str, Code(64)] = Field(..., description="the NGO's agency code")
    services: Services = Field(..., min_length=1, max_length=10)
    goals: Record = Field(..., description="how the services fit the plan, with its goals (ngo 10.3.4 g)")


class RequestReassignment(_Command):
    to_worker: Annotated[str, Name(200)] = Field(
        ..., description="the new social worker, as their tokens name the user (inbox queue=mine follows them)"
    )
    reason: Note = Field(..., description="why the worker changes; both workers read it in the timeline")


class ApproveReassignment(_Command):
    pass


class DeclineReassignment(_Command):
    reasons: list[Note] = Field(..., min_length=1, max_length=20)


class AssessRisk(_Command):
    level: RiskLevel
    reasons: list[Note] = Field(..., min_length=1, max_length=20, description="what the level rests on (vse §4.4)")


class StartParentalRights(_Command):
    proceedings_id: UUID = Field(..., description="chosen by the caller; names the proceedings in later steps")
    measure: ParentalRightsMeasure
    parent: Annotated[str, Name(200)] = Field(..., description="the parent whose rights are in question")
    court: Annotated[str, Line(200)] | None = Field(None, description="the court applied to, where known")
    grounds: Record


class ScheduleParentalRightsHearing(_Command):
    proceedings_id: UUID
    at: AwareDatetime


class DecideParentalRights(_Command):
    proceedings_id: UUID
    outcome: ParentalRightsOutcome
    decision_reference: Annotated[str, Line(200)] | None = None


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
