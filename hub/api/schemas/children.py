"""Request and response bodies for the child's identity record."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from hub.aggregates.vocabulary import CabmCategory
from hub.birth import DateOfBirth
from hub.iin import Iin
from hub.text import Line, Name, Text


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AddAlias(_Command):
    alias: Annotated[str, Name(200)] = Field(..., description="another spelling or transliteration")


class DisputeAge(_Command):
    reason: Annotated[str, Text(2000)]


class DetermineAge(_Command):
    # Not held under 18: an age assessment may find that the person is an adult (8.3.13-8.3.16).
    date_of_birth: DateOfBirth
    method: Annotated[str, Line(500)]
    benefit_of_doubt: StrictBool = False


class RecordDateOfBirth(_Command):
    date_of_birth: DateOfBirth
    source: Annotated[str, Line(500)] = Field(..., description="the document that shows it")


class ChangeCategory(_Command):
    category: CabmCategory
    reason: Annotated[str, Text(2000)]


class FindChild(_Command):
    """A search by IIN, in the body: never in an address, where proxies and access logs would keep it."""

    iin: Iin
