"""Request and response bodies for the child's identity record."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from hub import clock
from hub.aggregates.child import AgeStatus, Child
from hub.aggregates.vocabulary import CabmCategory


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AddAlias(_Command):
    alias: str = Field(..., min_length=1, max_length=200, description="another spelling or transliteration")


class DisputeAge(_Command):
    reason: str = Field(..., min_length=1, max_length=2000)


class DetermineAge(_Command):
    date_of_birth: date
    method: str = Field(..., min_length=1, max_length=500)
    benefit_of_doubt: bool = False


class RecordDateOfBirth(_Command):
    date_of_birth: date
    source: str = Field(..., min_length=1, max_length=500, description="the document that shows it")


class ChangeCategory(_Command):
    category: CabmCategory
    reason: str = Field(..., min_length=1, max_length=2000)


class ChildView(BaseModel):
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

    @classmethod
    def of(cls, child: Child) -> ChildView:
        return cls(
            id=child.id,
            version=child.version,
            identity=child.identity,
            aliases=child.aliases,
            date_of_birth=child.date_of_birth,
            age=child.age_on(clock.now().date()),
            age_status=child.age_status,
            categories=sorted(child.categories),
            referral_ids=child.referral_ids,
            case_ids=child.case_ids,
        )
