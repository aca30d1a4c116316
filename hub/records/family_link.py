"""The family link record: one side of a link between two children (docs/decisions/0041)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.family_link import FamilyLink, LinkState, Relation, Side


class FamilyLinkRecord(BaseModel):
    """What the other child is to this one, who said so and why; and, once taken back, who and why."""

    id: UUID
    child_id: UUID
    other_child_id: UUID
    counterpart_id: UUID
    relation: Relation
    other_is: Side
    state: LinkState
    reason: str
    recorded_by: str
    recorded_at: datetime
    removed_by: str | None
    removal_reason: str | None
    updated_at: datetime


def family_link_record(link: FamilyLink) -> dict[str, Any]:
    return FamilyLinkRecord(
        id=link.id, child_id=link.child_id, other_child_id=link.other_child_id,
        counterpart_id=link.counterpart_id, relation=link.relation,
        other_is=link.other_is, state=link.state, reason=link.reason, recorded_by=link.recorded_by,
        recorded_at=link.created_on, removed_by=link.removed_by, removal_reason=link.removal_reason,
        updated_at=link.modified_on,
    ).model_dump(mode="json")
