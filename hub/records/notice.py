"""Notices to the centre managing a child: someone broke the glass on one of the child's records."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.glass_break import GlassBreak


class NoticeRecord(BaseModel):
    """Something the case manager must know about the child's file."""

    id: UUID
    kind: str
    at: datetime
    until: datetime | None
    record_type: str
    record_id: UUID
    by_agency: str
    by_user: str
    reason: str


def glass_break_notice(opening: GlassBreak) -> dict[str, Any]:
    return NoticeRecord(
        id=opening.id,
        kind="break_glass",
        at=opening.created_on,
        until=opening.until,
        record_type=opening.record_type,
        record_id=opening.record_id,
        by_agency=opening.opened_by.agency,
        by_user=opening.opened_by.user,
        reason=opening.reason,
    ).model_dump(mode="json")
