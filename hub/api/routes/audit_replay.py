"""/v1/audit/replay and /v1/audit/openings: a record as of a moment, for auditors (docs/decisions/0016)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime, BaseModel, Field

from hub.api.auth import Caller, permitted
from hub.api.deps import AuditReplay
from hub.api.problems import problem_responses
from hub.api.routes.records import RecordType

router = APIRouter(tags=["audit"])


class Change(BaseModel):
    field: str
    before: Any = None
    after: Any = None


class ReplayedRecord(BaseModel):
    as_of: AwareDatetime
    record: dict[str, Any] = Field(..., description="the record as it stood; personal fields pseudonymised unless opened")
    compared_with: AwareDatetime | None = None
    changes: list[Change] | None = Field(None, description="field by field, from compared_with to as_of")
    pseudonymised: bool
    opening_id: UUID | None = Field(None, description="the opening that shows personal values, if one is in force")


class OpeningRequest(BaseModel):
    child_id: UUID
    reason: str = Field(..., description="why personal values must be seen (at least 20 characters; recorded)")


class Opening(BaseModel):
    id: UUID
    child_id: UUID
    until: AwareDatetime


@router.get(
    "/v1/audit/replay/{record_type}/{record_id}",
    response_model=ReplayedRecord,
    responses=problem_responses(401, 403, 404, 410, 422),
    summary="A record as it stood at a moment, rebuilt from the log under the policy then in force",
)
def replay(
    *,
    record_type: RecordType,
    record_id: UUID,
    as_of: AwareDatetime = Query(..., description="the moment, with its time zone"),
    compare: AwareDatetime | None = Query(None, description="an earlier moment to show the changes from"),
    caller: Annotated[Caller, Depends(permitted("audit.replay"))],
    audit_replay: AuditReplay,
) -> dict[str, Any]:
    return audit_replay.replay_record(caller.actor, record_type, record_id, as_of, compare)


@router.post(
    "/v1/audit/openings",
    response_model=Opening,
    status_code=201,
    responses=problem_responses(400, 401, 403, 404, 410, 413, 422),
    summary="Open a child's personal values to this auditor for a limited time, with a recorded reason",
)
def open_for_audit(
    body: OpeningRequest, caller: Annotated[Caller, Depends(permitted("audit.open"))], audit_replay: AuditReplay
) -> Opening:
    opening = audit_replay.open_for_audit(caller.actor, body.child_id, body.reason)
    return Opening(id=opening.id, child_id=opening.child_id, until=opening.until)
