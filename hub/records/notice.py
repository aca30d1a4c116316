"""Notices: what a body must know about a child's file — a record opened through the glass, a missed deadline."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.escalation import Escalation
from hub.aggregates.glass_break import GlassBreak


class NoticeRecord(BaseModel):
    """Something the bodies in ``to`` must know."""

    id: UUID
    kind: str  # "break_glass" or "overdue"
    at: datetime
    to: list[str]
    record_type: str
    record_id: UUID
    by_agency: str
    by_user: str
    reason: str
    rule: str | None
    until: datetime | None


def glass_break_notice(opening: GlassBreak, to: list[str]) -> dict[str, Any]:
    return NoticeRecord(
        id=opening.id, kind="break_glass", at=opening.created_on, to=to, record_type=opening.record_type,
        record_id=opening.record_id, by_agency=opening.opened_by.agency, by_user=opening.opened_by.user,
        reason=opening.reason, rule="BREAK-GLASS", until=opening.until,
    ).model_dump(mode="json")


def overdue_notice(escalation: Escalation) -> dict[str, Any]:
    return NoticeRecord(
        id=escalation.id, kind="overdue", at=escalation.created_on, to=escalation.notify,
        record_type=escalation.subject_type, record_id=escalation.subject_id, by_agency="hub", by_user="hub",
        reason=f"{escalation.title}: due {escalation.due_at.isoformat()}", rule=f"{escalation.deadline_id}: {escalation.rule}",
        until=None,
    ).model_dump(mode="json")
