"""/v1/visits: the Ombudsman's monitoring visits to closed institutions (docs/decisions/0040).

The Ombudsman's monitors record a visit and the referrals that came out of it; they read every visit whole.
The institution visited reads that it was visited, when, by whom and what is addressed to it. To anyone else
a visit does not exist (404). Every read is recorded.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, ConfigDict, Field

from hub.aggregates.agency_directory import CODE_PATTERN
from hub.api.auth import Caller, permitted
from hub.api.deps import Visits
from hub.api.problems import problem_responses
from hub.text import Code, Name, Text

router = APIRouter(prefix="/v1/visits", tags=["visits"])


class RecordVisit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    institution: Annotated[str, Code(64)] = Field(..., description="the agency code of the institution visited")
    visited_on: date
    monitors: list[Annotated[str, Name(200)]] = Field(..., min_length=1, max_length=20)
    findings: Annotated[str, Text(20000)] = Field(
        ..., description="what the monitors found: for the Ombudsman only (sealed; it may name children)"
    )
    findings_for_institution: Annotated[str, Text(20000)] | None = Field(
        None, description="what the institution is told: its conditions, its staff's practice, what it must change"
    )


class CiteReferral(BaseModel):
    model_config = ConfigDict(extra="forbid")

    referral_id: UUID = Field(..., description="a referral the Ombudsman's body made out of the visit")


class VisitView(BaseModel):
    """A visit, with only the fields the caller may see (privacy.yaml monitoring_visits)."""

    id: UUID
    institution: str
    visited_on: date
    recorded_by: str | None = None
    monitors: list[str] | None = None
    findings: str | None = None
    findings_for_institution: str | None = None
    referral_ids: list[UUID] | None = None


@router.post("", response_model=VisitView, status_code=status.HTTP_201_CREATED,
             responses=problem_responses(400, 401, 403, 413, 422), summary="Record a monitoring visit")
def record_visit(
    body: RecordVisit, caller: Annotated[Caller, Depends(permitted("visit.record"))], visits: Visits
) -> VisitView:
    return VisitView.model_validate(visits.record(
        caller.actor, body.institution, body.visited_on, body.monitors, body.findings, body.findings_for_institution
    ))


@router.post("/{visit_id}/referrals", response_model=VisitView, responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
             summary="List a referral that came out of the visit")
def cite_referral(
    visit_id: UUID, body: CiteReferral, caller: Annotated[Caller, Depends(permitted("visit.cite"))], visits: Visits
) -> VisitView:
    return VisitView.model_validate(visits.cite(caller.actor, visit_id, body.referral_id))


@router.get("", response_model=list[VisitView], responses=problem_responses(401, 403, 422),
            summary="The visits the caller may see, oldest first")
def list_visits(
    caller: Annotated[Caller, Depends(permitted("visit.read"))], visits: Visits,
    institution: Annotated[str | None, Query(pattern=CODE_PATTERN, description="only this institution's")] = None,
) -> list[VisitView]:
    return [VisitView.model_validate(v) for v in visits.visits(caller.actor, institution)]


@router.get("/{visit_id}", response_model=VisitView, responses=problem_responses(401, 403, 404, 422),
            summary="A visit, as the caller may see it")
def read_visit(visit_id: UUID, caller: Annotated[Caller, Depends(permitted("visit.read"))], visits: Visits) -> VisitView:
    return VisitView.model_validate(visits.visit(caller.actor, visit_id))
