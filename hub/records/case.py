"""The case record (cam-csc-manual §3): state, facets, plans, reviews and closure."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.case import Case
from hub.aggregates.case_people import RiskLevel
from hub.aggregates.case_vocabulary import CarePlanApprover, CaseState, IntakeAction
from hub.aggregates.vocabulary import PlacementType


class CaseRecord(BaseModel):
    """A CAM/CSC case."""

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
    placement_institution: str | None  # the closed institution the child is placed in (decision 0040)
    placement_unit: str | None  # where the child is placed, when the placement says (decision 0040)
    plan_version: int
    plan_started_at: datetime | None
    plan: dict[str, Any] | None  # the plan's summary and items: goal, action, responsible, when (decision 0052)
    care_approvals_required: list[CarePlanApprover]
    care_approvals: list[CarePlanApprover]
    reviews: list[datetime]
    follow_ups: dict[int, bool]
    closure: dict[str, Any] | None
    opened_at: datetime
    updated_at: datetime
    legal_bases: dict[str, dict[str, Any]]
    # The steps that tell other bodies (docs/decisions/0037): what their notices let the told body read.
    removal_decision: dict[str, Any] | None
    placement_recommendation: dict[str, Any] | None
    meetings: list[dict[str, Any]]
    family_tracing: dict[str, Any] | None
    transfers: list[dict[str, Any]]  # moves to another centre, the last one perhaps awaiting its answer (0039)
    # What the centre sent in writing (docs/decisions/0044): the told body reads what its notice carries.
    medical_applications: list[dict[str, Any]]
    support_referrals: list[dict[str, Any]]
    service_requests: list[dict[str, Any]]
    # The people of the case and the family's proceedings (docs/decisions/0042).
    reassignments: list[dict[str, Any]]  # changes of social worker, the last one perhaps awaiting approval
    risk_level: RiskLevel | None
    risk: list[dict[str, Any]]  # every level set, its reasons, by whom and when
    parental_rights: list[dict[str, Any]]  # proceedings to restrict, deprive or restore parental rights


def case_record(case: Case) -> dict[str, Any]:
    return CaseRecord(
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
        placement_institution=case.placement_institution,
        placement_unit=case.placement_unit,
        plan_version=case.plan_version,
        plan_started_at=case.plan_started_at,
        plan=case.plan,
        care_approvals_required=sorted(case.care_approvals_required),
        care_approvals=sorted(case.care_approvals),
        reviews=case.reviews,
        follow_ups=case.follow_ups,
        closure=case.closure,
        opened_at=case.created_on,
        updated_at=case.modified_on,
        legal_bases=case.legal_bases,
        removal_decision=case.removal_decision,
        placement_recommendation=case.placement_recommendation,
        meetings=[{"id": meeting_id, **meeting} for meeting_id, meeting in case.meetings.items()],
        family_tracing=case.family_tracing,
        transfers=case.transfers,
        medical_applications=[{"id": key, **value} for key, value in case.medical_applications.items()],
        support_referrals=case.support_referrals,
        service_requests=[{"id": key, **value} for key, value in case.service_requests.items()],
        reassignments=case.reassignments,
        risk_level=case.risk_level,
        risk=case.risk,
        parental_rights=[{"id": pid, **p} for pid, p in case.parental_rights.items()],
    ).model_dump(mode="json")
