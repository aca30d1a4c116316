"""What a referral says (cam-csc-manual §2.3: 8.1.5 and Annex C; ngo-services-manual §2.4).

Almost every field is optional: the manuals ask for information "to the extent
that this is ascertainable". What is required is who refers, about which child
(at least a name or a description), and the concern.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hub.aggregates.vocabulary import CabmCategory, City, ConcernCategory, Signatory, Urgency


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Referrer(_Strict):
    """Annex C section A: who refers."""

    name: str | None = Field(None, max_length=200, description="A1; may be withheld by a member of the public")
    professional_title: str | None = Field(
        None, max_length=200, description="A3, e.g. juvenile inspector, school psychologist"
    )
    member_of_public: bool = Field(False, description="8.1.5(c)")
    phone: str | None = Field(None, max_length=50)
    address: str | None = Field(None, max_length=500)


class Parent(_Strict):
    """Annex C section C: parents, legal representatives or carers."""

    name: str = Field(..., min_length=1, max_length=200)
    relationship: str | None = Field(None, max_length=100, description="mother, father, guardian, carer...")
    address: str | None = Field(None, max_length=500)
    phone: str | None = Field(None, max_length=50)
    languages: list[str] = Field(default_factory=list, max_length=10)
    interpreter_needed: bool = False


class ChildIdentity(_Strict):
    """Annex C section B and D: the child as the referrer knows them."""

    given_name: str | None = Field(None, max_length=100)
    family_name: str | None = Field(None, max_length=100)
    patronymic: str | None = Field(None, max_length=100)
    aliases: list[str] = Field(default_factory=list, max_length=20)
    date_of_birth: date | None = None
    stated_age: int | None = Field(None, ge=0, le=17, description="when the date of birth is unknown")
    sex: str | None = Field(None, pattern="^(female|male|unknown)$")
    nationality: str | None = Field(None, max_length=100)
    languages: list[str] = Field(default_factory=list, max_length=10)
    address: str | None = Field(None, max_length=500)
    city: City = Field(..., description="where the child is now; decides the competent bodies")
    school: str | None = Field(None, max_length=200)
    disability: str | None = Field(None, max_length=500)
    interpreter_needed: bool = False
    migration_status: str | None = Field(None, max_length=1000, description="Annex C D1")
    categories: list[CabmCategory] = Field(default_factory=list)
    description: str | None = Field(None, max_length=1000, description="for a child whose name is unknown")

    @model_validator(mode="after")
    def _identifiable(self) -> ChildIdentity:
        if not (self.given_name or self.family_name or self.aliases or self.description):
            raise ValueError("a name, an alias or a description of the child is required")
        if self.date_of_birth is not None and self.stated_age is not None:
            raise ValueError("give either date_of_birth or stated_age, not both")
        return self


class Concern(_Strict):
    category: ConcernCategory
    description: str = Field(..., min_length=1, max_length=10_000, description="Annex C B5")
    evidence: str | None = Field(None, max_length=10_000, description="Annex C B6")
    evidence_of_harm: bool = Field(
        False, description="evidence of harm or immediate risk: the initial assessment is due in 48 h, not 72 h (D12)"
    )
    urgency: Urgency = Urgency.ROUTINE
    care_situation: str | None = Field(None, max_length=2000, description="Annex C B7")
    about_agency: str | None = Field(
        None,
        max_length=64,
        description="agency code of an institution whose staff the concern is about; it never learns of the referral",
    )


class ConsentStatement(_Strict):
    """Whether the child and family agreed to the referral, as the referrer states it."""

    given: bool
    by: list[Signatory] = Field(default_factory=list)
    note: str | None = Field(None, max_length=1000)

    @model_validator(mode="after")
    def _signed_if_given(self) -> ConsentStatement:
        if self.given and not self.by:
            raise ValueError("consent given must say by whom")
        return self


class ReferralContent(_Strict):
    referrer: Referrer
    child: ChildIdentity
    parents: list[Parent] = Field(default_factory=list, max_length=10)
    concern: Concern
    consent: ConsentStatement
    existing_services: str | None = Field(None, max_length=2000, description="Annex C E3")

    @property
    def emergency(self) -> bool:
        return self.concern.urgency == Urgency.EMERGENCY
