"""/v1/records and /v1/break-glass: any record the caller may see, and opening one it may not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from hub.aggregates.vocabulary import BodyKind
from hub.api import deps
from hub.api.auth import Caller, Gate, authenticated, permitted
from hub.api.deps import Glass, Reads
from hub.api.pacing import answered_no_sooner_than
from hub.api.problems import problem_responses
from hub.privacy.policy_file import PolicyFile, RecordType
from hub.services.glass import opens_any
from hub.services.statistics import receives_statistics
from hub.text import Code, Text

router = APIRouter(tags=["records"])
GLASS_FLOOR_S = 0.5  # above what deciding an opening takes, so that every answer takes the same time


class VisibleRecord(BaseModel):
    record_type: RecordType
    record: dict[str, Any] = Field(..., description="only the fields the caller's agency and role may see")


class BreakGlass(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    record_type: RecordType
    record_id: UUID
    ground: Annotated[str, Code(64)] = Field(
        ..., description="the legal ground, a code of privacy.yaml's break_glass.grounds (docs/privacy-policy.md)"
    )
    reason: Annotated[str, Text(2000)] = Field(..., description="how the ground applies to this child, now")


class Opening(BaseModel):
    id: UUID
    record_type: RecordType
    record_id: UUID
    until: datetime


class Read(BaseModel):
    at: datetime
    agency: str
    role: str
    user: str
    record_type: str
    record_id: UUID
    fields: list[str]
    rules: list[str]
    outcome: str
    purpose: str


@router.get(
    "/v1/records/{record_type}/{record_id}",
    response_model=dict[str, Any],
    responses=problem_responses(401, 403, 404, 422),
    summary="Read one record, as far as the caller may see it",
)
def read(
    record_type: RecordType,
    record_id: UUID,
    caller: Annotated[Caller, Depends(permitted("record.read"))],
    reads: Reads,
) -> dict[str, Any]:
    return reads.show(caller.actor, record_type, record_id)


@router.get(
    "/v1/children/{child_id}/records",
    response_model=list[VisibleRecord],
    responses=problem_responses(401, 403, 404, 422),
    summary="Every record of a child the caller may see",
)
def records_of_child(
    child_id: UUID, caller: Annotated[Caller, Depends(permitted("record.read"))], reads: Reads
) -> list[dict[str, Any]]:
    return reads.visible_records(caller.actor, child_id)


@router.get(
    "/v1/children/{child_id}/access-log",
    response_model=list[Read],
    responses=problem_responses(401, 403, 404, 422),
    summary="Who read the child's records, which fields, under which rule (for the child's request)",
)
def access_log(
    child_id: UUID, caller: Annotated[Caller, Depends(permitted("child.access_log"))], reads: Reads
) -> list[Read]:
    return [
        Read(at=r.at, agency=r.agency, role=r.role, user=r.user, record_type=r.record_type, record_id=r.record_id,
             fields=r.fields, rules=r.rules, outcome=r.outcome, purpose=r.purpose)
        for r in reads.reads_of_child(caller.actor, child_id)
    ]


@router.post(
    "/v1/break-glass",
    response_model=Opening,
    status_code=201,
    responses=problem_responses(400, 401, 403, 404, 413, 422, 429),
    summary="Open a withheld record for a limited time, on a legal ground, with a written reason",
)
async def break_glass(
    body: BreakGlass,
    caller: Annotated[Caller, Depends(permitted("record.break_glass"))],
    opener: Annotated[None, Depends(OpensRecords())],
    glass: Glass,
) -> Opening:
    """Answered no sooner than a floor of time, whatever the answer: how long the hub took to find that a
    record may not be opened must not tell that it exists (docs/decisions/0029)."""
    async with answered_no_sooner_than(GLASS_FLOOR_S):
        opening = await run_in_threadpool(
            glass.break_glass, caller.actor, body.record_type, body.record_id, body.ground, body.reason
        )
    return Opening(id=opening.id, record_type=opening.record_type, record_id=opening.record_id, until=opening.until)


@router.get(
    "/v1/break-glass/{opening_id}/record",
    response_model=dict[str, Any],
    responses=problem_responses(401, 403, 404, 410, 422),
    summary="Read the record an opening gives access to, while it lasts",
)
def read_through_glass(
    opening_id: UUID,
    caller: Annotated[Caller, Depends(permitted("record.break_glass"))],
    opener: Annotated[None, Depends(OpensRecords())],
    glass: Glass,
) -> dict[str, Any]:
    return glass.show_through_glass(caller.actor, opening_id)


class Cell(BaseModel):
    city: str = Field(..., description="the region or city of republican significance (KATO code), or KZ")
    measure: str
    count: int | str = Field(..., description='a number, or "<N" below the policy\'s minimum cell')


class Statistics(BaseModel):
    generated_at: datetime
    policy_version: int
    minimum_cell: int
    cells: list[Cell]


@dataclass(frozen=True)
class OpensRecords(Gate):
    """commands.yaml lets every body ask; privacy.yaml's ``break_glass`` rules name who may open what."""

    def allows(self, kind: BodyKind, role: str, policy: PolicyFile) -> bool:
        return opens_any(policy, kind, role)

    def describe(self) -> str:
        return "privacy.yaml `break_glass`"

    def __call__(self, caller: Annotated[Caller, Depends(authenticated)], glass: Glass) -> None:
        glass.require_opener(caller.actor)


@dataclass(frozen=True)
class ReceivesStatistics(Gate):
    """commands.yaml lets every body ask; privacy.yaml's ``aggregates`` names the bodies that receive counts."""

    def allows(self, kind: BodyKind, role: str, policy: PolicyFile) -> bool:
        return receives_statistics(policy, kind, role)

    def describe(self) -> str:
        return "privacy.yaml `aggregates`"

    def __call__(self, caller: Annotated[Caller, Depends(authenticated)], counts: deps.Statistics) -> None:
        counts.require_statistics_recipient(caller.actor)


@router.get(
    "/v1/statistics",
    response_model=Statistics,
    responses=problem_responses(401, 403, 422),
    summary="Anonymised counts for oversight bodies (never a child)",
)
def statistics(
    *,
    caller: Annotated[Caller, Depends(permitted("statistics.read"))],
    recipient: None = Depends(ReceivesStatistics()),
    counts: deps.Statistics,
) -> dict[str, Any]:
    return counts.statistics(caller.actor)
