"""/v1/audit/access-report: who saw what, for auditors (JSON, or CSV)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hub.aggregates.vocabulary import BodyKind
from hub.api.auth import Caller, Gate, authenticated
from hub.api.csv_response import CSV, csv_attachment, wants_csv
from hub.api.deps import AccessReports
from hub.api.problems import problem_responses
from hub.permissions import may
from hub.privacy.policy_file import PolicyFile
from hub.reports.access_report import COMMAND, ReportFilter, RowKind
from hub.reports.csv import report_csv

router = APIRouter(tags=["audit"])


class AccessReportRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: RowKind = Field(..., description="a read, a publication to a body's Kafka topic, or a glass opening")
    position: int = Field(..., description="the event's position in the log (hub audit verify checks it)")
    at: datetime
    agency: str
    role: str = Field(..., description='"*" for a publication: every role the message names per field')
    user: str = Field(..., description="for a publication, the topic it was published to")
    child_id: UUID | None
    record_type: str
    record_id: UUID
    fields: list[str] = Field(..., description="the names of the fields shown, never their values")
    rules: list[str] = Field(..., description="the policy rules that showed them; BREAK-GLASS:<opening id>")
    outcome: str = Field(..., description="granted, denied, break_glass; opened for an opening")
    purpose: str = Field(..., description="why it was read: the endpoint, relay:<position>, break_glass, ...")
    owner: str | None = Field(..., description="the body that created the record")
    disclosure: bool = Field(..., description="the record reached a body other than its owner")
    reason: str | None = Field(None, description="why the glass was broken")
    until: datetime | None = Field(None, description="when an opening expires")


class AccessReportFilters(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    child_id: UUID | None
    agency: str | None
    user: str | None
    since: datetime | None = Field(..., description="from, inclusive")
    until: datetime | None = Field(..., description="to, exclusive")


class AccessReport(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    generated_at: datetime
    filters: AccessReportFilters
    rows: list[AccessReportRow]


@dataclass(frozen=True)
class MayReport(Gate):
    """commands.yaml's audit.access_report, checked by the report service so that a refusal is
    recorded in the log like any refused read (a centre's own-child rule is checked there too)."""

    def allows(self, kind: BodyKind, role: str, policy: PolicyFile) -> bool:
        return may(kind, role, COMMAND)

    def describe(self) -> str:
        return COMMAND

    def __call__(
        self,
        *,
        child_id: UUID | None = None,
        caller: Annotated[Caller, Depends(authenticated)],
        access_reports: AccessReports,
    ) -> Caller:
        access_reports.require_reporter(caller.actor, child_id)
        return caller


@router.get(
    "/v1/audit/access-report",
    response_model=AccessReport,
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}, **problem_responses(401, 403, 422)},
    summary="Who saw what: every read, publication and break-the-glass of a child, an agency (user) or a period",
)
def access_report(
    *,
    request: Request,
    child_id: UUID | None = None,
    agency: str | None = None,
    user: str | None = None,
    since: AwareDatetime | None = Query(None, alias="from", description="ISO 8601 with a time zone, inclusive"),
    until: AwareDatetime | None = Query(None, alias="to", description="ISO 8601 with a time zone, exclusive"),
    format: Literal["json", "csv"] | None = Query(None, description=f"csv for {CSV} (or send Accept: {CSV})"),
    caller: Annotated[Caller, Depends(MayReport())],
    access_reports: AccessReports,
) -> AccessReport | Response:
    report = access_reports.access_report(caller.actor, ReportFilter(child_id, agency, user, since, until))
    if wants_csv(request, format):
        return csv_attachment(report_csv(report), "access-report.csv")
    return AccessReport.model_validate(report)
