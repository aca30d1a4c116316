"""What an NGO sends: its referral form, laid out as Annex C of the CAM/CSC manual (see README.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from adapters.native import (
    Address,
    AgencyCode,
    FullName,
    Label,
    LongText,
    Name,
    Native,
    Phone,
    Sex,
    Text,
    a_child_on,
    impossible,
    invalid,
    not_after_today,
)
from hub import text
from hub.aggregates.vocabulary import CabmCategory, ConcernCategory, Urgency, ViewsCapacity
from hub.birth import PLAUSIBLE_BIRTH, StatedAge
from hub.geography.place import Place


def _form_date(value: Any) -> Any:
    """Dates on the form are written DD.MM.YYYY."""
    if not isinstance(value, str):
        return value
    try:
        return datetime.strptime(value, "%d.%m.%Y").date()
    except ValueError:
        parts = value.split(".")
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
            raise PydanticCustomError("impossible_date", "not a date in the calendar") from None
        raise PydanticCustomError("date_type", "a date on the form is written DD.MM.YYYY, e.g. 28.02.2026") from None


FormDate = Annotated[
    date,
    BeforeValidator(_form_date),
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}\.\d{2}\.\d{4}$", "description": "DD.MM.YYYY"}),
]
FormDateOfBirth = Annotated[FormDate, PLAUSIBLE_BIRTH]


class SectionA(Native):
    """Section A: the person referring the child."""

    a1_name: FullName = Field(..., description="A1 name")
    a2_referring_body: Annotated[str, text.Line(200)] = Field(..., description="A2 referring body")
    a3_professional_title: Label | None = Field(None, description="A3 professional title")
    a4_address: Address | None = Field(None, description="A4 address")
    a5_telephone: Phone | None = Field(None, description="A5 telephone number")
    a6_date_of_referral: FormDate = Field(..., description="A6 date of referral")


class ChildName(Native):
    surname: Name | None = None
    given_name: Name | None = None
    patronymic: Name | None = None


class Sibling(Native):
    name: FullName
    date_of_birth: FormDateOfBirth | None = None
    address: Address | None = None


class SectionB(Native):
    """Section B: the child."""

    b1_name: ChildName = Field(..., description="B1 name")
    b1_sex: Sex | None = None
    b2_address: Address | None = Field(None, description="B2 address")
    b2_city: Place = Field(..., description="the city (oblast) where the child is now")
    b3_date_of_birth: FormDateOfBirth | None = Field(None, description="B3 date of birth")
    b3_age: StatedAge | None = Field(None, description="the child's age, when the date of birth is unknown")
    b4_languages: list[Label] = Field(default_factory=list, max_length=10, description="B4 languages spoken")
    b5_concern: LongText = Field(..., description="B5 the child protection concern")
    b6_evidence: LongText | None = Field(None, description="B6 the evidence the concern is based on")
    b7_care_situation: Annotated[str, text.Text(1000)] | None = Field(
        None, description="B7 the child's current care situation"
    )
    b8_siblings: list[Sibling] = Field(default_factory=list, max_length=10, description="B8 siblings")
    b9_other_children: Annotated[str, text.Text(500)] | None = Field(
        None, description="B9 other children on the premises"
    )
    b10_school: Annotated[str, text.Line(200)] | None = Field(None, description="B10 school or education programme")
    b11_disability: Annotated[str, text.Text(500)] | None = Field(None, description="B11 physical or mental disability")
    b12_interpreter: Annotated[str, text.Text(500)] | None = Field(
        None, description="B12 interpreter or communication aid needed"
    )


class SectionC(Native):
    """Section C: a parent or legal representative."""

    c1_name: FullName = Field(..., description="C1 name")
    relationship: Label = Field(..., description="mother, father, guardian...")
    c2_address: Address | None = Field(None, description="C2 address")
    c3_marital_status: Label | None = Field(None, description="C3 marital status")
    c4_languages: list[Label] = Field(default_factory=list, max_length=10, description="C4 languages spoken")
    c5_interpreter: Annotated[str, text.Text(500)] | None = Field(
        None, description="C5 interpreter or communication aid needed"
    )
    phone: Phone | None = None


class SectionD(Native):
    d1_migration_status: Annotated[str, text.Text(1000)] | None = Field(
        None, description="D1 the child's migration status"
    )
    categories: list[CabmCategory] = Field(default_factory=list, description="the NGO's reading of D1")


class Consent(Native):
    child_agreed: bool
    parent_agreed: bool
    note: Text | None = None


class ChildCameForward(Native):
    """The child came to the NGO themself (ngo §2.1 self-referral (m); docs/decisions/0043)."""

    keep_from_parents: bool = Field(False, description="the child asks that the parents are not told for now")


class ReferralForm(Native):
    """Форма направления: an NGO refers a child it met (cam-csc-manual §2.2, N03).

    A child aged 3 or over goes to the CAM/CSC with a notice to the GTA; a child
    under 3 to the GTA alone. The NGO's intake classifies the concern and its urgency.
    """

    message_type: Literal["referral_form"]
    form_no: Annotated[str, text.Line(50)] = Field(..., description="the NGO's intake number")
    section_a: SectionA
    section_b: SectionB
    section_c: list[SectionC] = Field(default_factory=list, max_length=4)
    section_d: SectionD = Field(default_factory=SectionD)
    e3_existing_services: Text | None = Field(None, description="E3 support services already received")
    concern_category: ConcernCategory
    urgency: Urgency
    evidence_of_harm: bool = Field(..., description="evidence of harm or immediate risk (the 48-hour assessment, D12)")
    consent: Consent
    refer_to: AgencyCode | None = Field(None, description="the body referred to; leave out to let the hub route it")
    self_referral: ChildCameForward | None = Field(
        None, description="the child came forward themself: consent.child_agreed must then be true"
    )

    @model_validator(mode="after")
    def _checks(self, info: ValidationInfo) -> ReferralForm:
        child = self.section_b
        if not (child.b1_name.surname or child.b1_name.given_name):
            raise PydanticCustomError("missing", "name the child", {"field": "section_b.b1_name.given_name"})
        if child.b3_date_of_birth is not None and child.b3_age is not None:
            raise invalid("section_b.b3_age", "give either the date of birth or the age, not both")
        referred_on = self.section_a.a6_date_of_referral
        not_after_today(info, ("section_a.a6_date_of_referral", referred_on))
        a_child_on("section_b.b3_date_of_birth", child.b3_date_of_birth, referred_on)
        for i, sibling in enumerate(child.b8_siblings):
            if sibling.date_of_birth is not None and sibling.date_of_birth > referred_on:
                raise impossible(f"section_b.b8_siblings.{i}.date_of_birth", "a sibling born after the referral")
        return self


class _SupporterReport(Native):
    """What the NGO's independent supporter reports on a case whose supporter request the NGO accepted
    (cam-csc-manual Part 9, ngo-services-manual §11; docs/decisions/0034): the ids come from the request's notice."""

    case_id: UUID = Field(..., description="the hub's case id, from the supporter request (cam:N08)")
    child_id: UUID = Field(..., description="the hub's child id, from the same request")


class SupporterStepReport(_SupporterReport):
    """The supporter contacted the case manager (cam N10, D43), or first met the child (D44)."""

    message_type: Literal["supporter_step"]
    step: Literal["supporter_contacted", "first_meeting_held"]
    note: Text | None = None


class SupporterRecommendation(_SupporterReport):
    """The supporter recommends involving other bodies (cam N45, ngo N17)."""

    message_type: Literal["supporter_recommendation"]
    text: LongText


class ChildViews(_SupporterReport):
    """The child's views, wishes and feelings, and the supporter's own view where it differs (ngo N18, P-14)."""

    message_type: Literal["child_views"]
    capacity: ViewsCapacity
    views: LongText
    supporter_view: LongText | None = None
    reasons: LongText | None = None


class ChildDeclinedSupporter(_SupporterReport):
    """A mature child declined the supporter (cam N11, ngo N11, D39)."""

    message_type: Literal["child_declined_supporter"]
    note: Text | None = None


NgoMessage = Annotated[
    ReferralForm | SupporterStepReport | SupporterRecommendation | ChildViews | ChildDeclinedSupporter,
    Field(discriminator="message_type"),
]
