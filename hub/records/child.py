"""The child's identity record."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.child import AgeStatus, Child
from hub.aggregates.vocabulary import CabmCategory


class ChildRecord(BaseModel):
    """A child known to the hub."""

    id: UUID
    version: int
    identity: dict[str, Any]
    aliases: list[str]
    date_of_birth: date | None
    age: int | None
    age_status: AgeStatus
    categories: list[CabmCategory]
    referral_ids: list[UUID]
    case_ids: list[UUID]
    expected_on: date | None  # a child not yet born, reported through the mother (decision 0041)


def child_record(child: Child, today: date) -> dict[str, Any]:
    return ChildRecord(
        id=child.id,
        version=child.version,
        identity=child.identity,
        aliases=child.aliases,
        date_of_birth=child.date_of_birth,
        age=child.age_on(today),
        age_status=child.age_status,
        categories=sorted(child.categories),
        referral_ids=child.referral_ids,
        case_ids=child.case_ids,
        expected_on=child.expected_on,
    ).model_dump(mode="json")
