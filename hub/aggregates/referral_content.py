"""What a referral says (cam-csc-manual §2.3: 8.1.5 and Annex C; ngo-services-manual §2.4).

Almost every field is optional: the manuals ask for information "to the extent
that this is ascertainable". What is required is who refers, about which child
(at least a name or a description), and the concern.

Each text says its kind (hub/text.py) and the child's age is a child's
(hub/birth.py). A referral read back from its event is validated with
``hub.inbound.STORED``: as it was accepted, whatever today is.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from hub.aggregates.vocabulary import CabmCategory, ConcernCategory, Signatory, Urgency
from hub.birth import ChildsDateOfBirth, StatedAge
from hub.geography.place import Place
from hub.iin import DESCRIPTION as IIN_DESCRIPTION
from hub.iin import Iin
from hub.inbound import STORED
from hub.text import Code, Line, Name, Text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Referrer(_Strict):
    """Annex C section A: who refers."""

    name: Annotated[str, Name(200)] | None = Field(None, description="A1; may be withheld by a member of the public")
    professional_title: Annotated[str, Line(200)] | None = Field(
        None, description="A3, e.g. juvenile inspector, school psychologist"
    )
    member_of_public: StrictBool = Field(False, description="8.1.5(c)")
    phone: Annotated[str, Line(50)] | None = None
    address: Annotated[str, Text(500)] | None = None


class Parent(_Strict):
    """Annex C section C: parents, legal representatives or carers."""

    name: Annotated[str, Name(200)]
    relationship: Annotated[str, Line(100)] | None = Field(None, description="mother, father, guardian, carer...")
    address: Annotated[str, Text(500)] | None = None
    phone: Annotated[str, Line(50)] | None = None
    languages: list[Annotated[str, Line(100)]] = Field(default_factory=list, max_length=10)
    interpreter_needed: StrictBool = False


class ChildIdentity(_Strict):
    """Annex C section B and D: the child as the referrer knows them."""

    given_name: Annotated[str, Name(100)] | None = None
    family_name: Annotated[str, Name(100)] | None = None
    patronymic: Annotated[str, Name(100)] | None = None
    aliases: list[Annotated[str, Name(200)]] = Field(default_factory=list, max_length=20)
    date_of_birth: ChildsDateOfBirth | None = Field(None, description="a child's: under 18 today")
    stated_age: StatedAge | None = Field(None, description="when the date of birth is unknown")
    sex: str | None = Field(None, pattern="^(female|male|unknown)$")
    iin: Iin | None = Field(None, description=f"{IIN_DESCRIPTION}; where the child has one (decision 0051)")
    nationality: Annotated[str, Line(100)] | None = None
    languages: list[Annotated[str, Line(100)]] = Field(default_factory=list, max_length=10)
    address: Annotated[str, Text(500)] | None = None
    city: Place = Field(
        ..., description="where the child is now (a unit's KATO code, GET /v1/places); decides the competent bodies"
    )
    school: Annotated[str, Line(200)] | None = None
    school_agency: Annotated[str, Code(64)] | None = Field(
        None,
        description="agency code of the school the child attends, where it is registered in the hub: its head is told"
        " of a suspected-violence referral from health (violence evaluation L1631), as the pupil and no more",
    )
    disability: Annotated[str, Text(500)] | None = None
    interpreter_needed: StrictBool = False
    migration_status: Annotated[str, Text(1000)] | None = Field(None, description="Annex C D1")
    categories: list[CabmCategory] = Field(default_factory=list)
    description: Annotated[str, Text(1000)] | None = Field(None, description="for a child whose name is unknown")

    @model_validator(mode="after")
    def _identifiable(self) -> ChildIdentity:
        if not (self.given_name or self.family_name or self.aliases or self.description):
            raise ValueError("a name, an alias or a description of the child is required")
        if self.date_of_birth is not None and self.stated_age is not None:
            raise ValueError("give either date_of_birth or stated_age, not both")
        return self


class Concern(_Strict):
    category: ConcernCategory
    description: Annotated[str, Text(10_000)] = Field(..., description="Annex C B5")
    evidence: Annotated[str, Text(10_000)] | None = Field(None, description="Annex C B6")
    evidence_of_harm: StrictBool = Field(
        False, description="evidence of harm or immediate risk: the initial assessment is due in 48 h, not 72 h (D12)"
    )
    urgency: Urgency = Urgency.ROUTINE
    care_situation: Annotated[str, Text(2000)] | None = Field(None, description="Annex C B7")
    about_agency: Annotated[str, Code(64)] | None = Field(
        None,
        description="agency code of an institution whose staff the concern is about; it never learns of the referral",
    )


class ConsentStatement(_Strict):
    """Whether the child and family agreed to the referral, as the referrer states it."""

    given: StrictBool
    by: list[Signatory] = Field(default_factory=list)
    note: Annotated[str, Text(1000)] | None = None

    @model_validator(mode="after")
    def _signed_if_given(self) -> ConsentStatement:
        if self.given and not self.by:
            raise ValueError("consent given must say by whom")
        return self


class SelfReferral(_Strict):
    """The child came forward themself - to an NGO, a school, a helpline (vse S13, S16; docs/decisions/0043).

    No parent's consent is asked for the referral itself; the child's own agreement is its consent statement.
    """

    through: Literal["ngo", "school", "helpline", "other"] = Field(..., description="where the child asked for help")
    keep_from_parents: StrictBool = Field(
        False, description="the child asks that the parents are not told for now: the bodies that do not work with "
        "the child see neither the family nor where the child lives, unless it is an emergency"
    )


class ReferralContent(_Strict):
    referrer: Referrer
    child: ChildIdentity
    parents: list[Parent] = Field(default_factory=list, max_length=10)
    concern: Concern
    consent: ConsentStatement
    existing_services: Annotated[str, Text(2000)] | None = Field(None, description="Annex C E3")
    self_referral: SelfReferral | None = Field(None, description="the child referred themself (decision 0043)")

    @model_validator(mode="after")
    def _childs_own_request(self) -> ReferralContent:
        if self.self_referral is not None and Signatory.CHILD not in self.consent.by:
            raise ValueError("a child's self-referral is made with the child's agreement: consent.by names the child")
        return self

    @classmethod
    def stored(cls, content: dict[str, Any]) -> ReferralContent:
        """The content of a referral's event, as it was accepted (hub/inbound.py)."""
        return cls.model_validate(content, context=STORED)

    @property
    def emergency(self) -> bool:
        return self.concern.urgency == Urgency.EMERGENCY
