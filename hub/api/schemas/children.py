"""Request and response bodies for the child's identity record."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

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
