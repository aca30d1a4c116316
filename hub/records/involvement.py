"""The involvement record: one child's side of a matter between two minors (decision 0050)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.involvement import Involvement, OtherMinor, Setting


class InvolvementRecord(BaseModel):
    """What the other child is in this child's matter, where it happened, and the S7 steps taken for this child."""

    id: UUID
    child_id: UUID
    other_child_id: UUID
    counterpart_id: UUID
    other_referral_id: UUID | None = None  # the other child's referral of the matter; none on a side recorded before 0062
    other_minor: OtherMinor
    setting: Setting
    reason: str
    steps: list[dict[str, Any]]
    recorded_by: str
    recorded_at: datetime
    updated_at: datetime


def involvement_record(side: Involvement) -> dict[str, Any]:
    return InvolvementRecord(
        id=side.id, child_id=side.child_id, other_child_id=side.other_child_id, counterpart_id=side.counterpart_id,
        other_referral_id=side.other_referral_id,
        other_minor=side.other_minor, setting=side.setting, reason=side.reason, steps=list(side.steps),
        recorded_by=side.recorded_by, recorded_at=side.created_on, updated_at=side.modified_on,
    ).model_dump(mode="json")
