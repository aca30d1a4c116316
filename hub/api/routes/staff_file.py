"""/v1/staff-file: the outcomes of allegations against the caller's own staff, for its Director (cam-csc-manual
11.3.8, ngo N29; docs/decisions/0044). Each body reads its own file only; nothing in it names or points to a child."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from hub.aggregates.allegation import Outcome
from hub.api.auth import Caller, permitted
from hub.api.deps import StaffFiles
from hub.api.problems import problem_responses

router = APIRouter(prefix="/v1/staff-file", tags=["allegations"])


class StaffOutcome(BaseModel):
    id: UUID
    staff: dict[str, str] | None = Field(..., description="the staff member the allegation was about: name, role")
    outcome: Outcome
    directions: str | None = Field(..., description="the investigator's disciplinary directions to the employer")
    concluded_at: datetime
    by_agency: str = Field(..., description="the investigating body that concluded it")
    acknowledged_at: datetime | None
    acknowledged_by: str | None


@router.get("", response_model=list[StaffOutcome], responses=problem_responses(401, 403, 422))
def outcomes(caller: Annotated[Caller, Depends(permitted("staff_file.read"))], files: StaffFiles) -> Any:
    """Every outcome of an allegation against the caller's staff, the earliest first."""
    return files.outcomes(caller.actor)


@router.post(
    "/{outcome_id}/acknowledgement", response_model=StaffOutcome, responses=problem_responses(401, 403, 404, 422),
    summary="Acknowledge an allegation's outcome",
)
def acknowledge(
    outcome_id: UUID, caller: Annotated[Caller, Depends(permitted("staff_file.acknowledge"))], files: StaffFiles
) -> Any:
    """The Director confirms the outcome reached the employer; a repeat changes nothing."""
    return files.acknowledge(caller.actor, outcome_id)
