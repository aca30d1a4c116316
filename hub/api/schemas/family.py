"""Request bodies for family links, referrals about several siblings at once, and adult survivors' reports
(docs/decisions/0041)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from hub.aggregates.family_link import Relation, Side
from hub.aggregates.referral_content import ChildIdentity, Concern, ConsentStatement, Parent, Referrer
from hub.api.schemas.referrals import SubmitReferral
from hub.birth import DateOfBirth
from hub.geography.place import Place
from hub.text import Line, Name, Text

Reason = Annotated[str, Text(2000)]


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LinkChild(_Command):
    other_child_id: UUID
    relation: Relation
    other_is: Side = Field(Side.RELATIVE, description="for mother_infant: whether the other child is the mother or the infant")
    reason: Reason = Field(..., description="why the two are thought to be related")


class RemoveLink(_Command):
    reason: Reason = Field(..., description="why the link was wrong")


class ExpectedChild(_Command):
    expected_on: date = Field(..., description="when the child is expected to be born")
    reason: Reason = Field(..., description="why the expected child is reported (vse S4: violence seen in pregnancy)")


class Birth(_Command):
    date_of_birth: DateOfBirth
    given_name: Annotated[str, Name(100)] | None = None
    family_name: Annotated[str, Name(100)] | None = None
    patronymic: Annotated[str, Name(100)] | None = None
    sex: str | None = Field(None, pattern="^(female|male|unknown)$")

    def identity(self) -> dict[str, str]:
        return self.model_dump(include={"given_name", "family_name", "patronymic", "sex"}, exclude_none=True)


class SiblingReferrals(_Command):
    """Several children of one family referred at once: one referral each (cam L5058-5064), linked."""

    referrals: list[SubmitReferral] = Field(..., min_length=2, max_length=12)
    relation: Relation = Relation.SIBLING
    reason: Reason = Field("referred together by the referrer as one family", description="why they are linked")


class SurvivorIdentity(_Command):
    given_name: Annotated[str, Name(100)] | None = None
    family_name: Annotated[str, Name(100)] | None = None
    patronymic: Annotated[str, Name(100)] | None = None
    sex: str | None = Field(None, pattern="^(female|male|unknown)$")
    date_of_birth: DateOfBirth | None = None
    stated_age: StrictInt | None = Field(None, ge=0, le=130)
    city: Place


class Abuser(_Command):
    name: Annotated[str, Name(200)] | None = None
    relationship: Annotated[str, Line(100)] | None = None


class SurvivorReportBody(_Command):
    """An adult's report of abuse suffered as a child, and the minor siblings still living with the person accused."""

    referrer: Referrer
    survivor: SurvivorIdentity
    account: Annotated[str, Text(10_000)] = Field(..., description="the survivor's account; seen by the reporting body only")
    abuser: Abuser
    siblings: list[ChildIdentity] = Field(..., min_length=1, max_length=12)
    sibling_concern: Concern = Field(
        ..., description="what each sibling's referral says of the risk to the sibling (not the survivor's account)")
    parents: list[Parent] = Field(default_factory=list, max_length=10)
    consent: ConsentStatement
    to_survivor: Relation = Relation.HALF_SIBLING
    among_siblings: Relation = Relation.SIBLING
