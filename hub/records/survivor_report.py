"""The survivor report record: what the body that took an adult survivor's report keeps (decision 0041)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.survivor_report import SurvivorReport


class Abuser(BaseModel):
    name: str | None = None
    relationship: str | None = None


class SurvivorReportRecord(BaseModel):
    id: UUID
    child_id: UUID
    reported_at: datetime
    reporter_agency: str
    account: str
    abuser: Abuser
    sibling_referral_ids: list[UUID]
    sibling_child_ids: list[UUID]


def survivor_report_record(report: SurvivorReport) -> dict[str, Any]:
    return SurvivorReportRecord(
        id=report.id, child_id=report.child_id, reported_at=report.created_on, reporter_agency=report.reporter_agency,
        account=report.account, abuser=Abuser(**report.abuser), sibling_referral_ids=report.sibling_referral_ids,
        sibling_child_ids=report.sibling_child_ids,
    ).model_dump(mode="json")
