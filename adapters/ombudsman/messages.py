"""What the Children's Rights Ombudsman sends: monitors' safeguarding concerns, children's complaints (README.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, ValidationInfo, model_validator

from adapters.native import (
    AgencyCode,
    FullName,
    Label,
    LongText,
    Native,
    NativeChild,
    Phone,
    Text,
    a_child_on,
    in_order,
    invalid,
    named_or_described,
    not_after_today,
)
from hub import text
from hub.aggregates.vocabulary import ConcernCategory
from hub.geography.place import Place

Number = Annotated[str, text.Line(50)]

FacilityType = Literal[
    "special_school",  # специальная школа (закрытого типа)
    "special_education_organisation",  # специальная организация образования с особым режимом содержания
    "temporary_detention_centre",  # изолятор временного содержания (ИВС)
    "pre_trial_detention",  # следственный изолятор (СИЗО)
    "juvenile_colony",  # учреждение уголовно-исполнительной системы для несовершеннолетних
    "cam_csc",  # ЦАН / ЦПД
    "childrens_home",  # детский дом, дом ребёнка
    "boarding_school",  # интернат
    "psychiatric_hospital",  # психиатрическая больница
    "other",
]


class Visit(Native):
    """The monitoring visit (посещение) during which the concern arose."""

    facility_name: Annotated[str, text.Line(200)] = Field(..., description="наименование учреждения")
    facility_code: AgencyCode | None = Field(
        None, description="the facility's agency code, when it is registered in the hub (a school, a centre...)"
    )
    facility_type: FacilityType
    city: Place
    visited_on: date = Field(..., description="дата посещения")
    visit_kind: Literal["scheduled", "unannounced", "follow_up"]
    monitors: list[FullName] = Field(..., min_length=1, max_length=10, description="члены мониторинговой группы")


class Concern(Native):
    source: Literal["child_disclosure", "observation", "records", "staff", "parent", "other"] = Field(
        ..., description="how the monitors came to know: the Guidelines' 'see, hear and read'"
    )
    about: list[Literal["staff", "other_children", "external_person", "conditions"]] = Field(
        ..., min_length=1, description="from whom the harm or risk comes"
    )
    staff_involved: list[Annotated[str, text.Line(200)]] = Field(
        default_factory=list, max_length=10, description="staff by role (and name where known): night educator..."
    )
    category: ConcernCategory
    description: LongText
    evidence: Text | None = Field(None, description="what was seen, heard or read")
    immediate_risk: bool = Field(..., description="a child is at risk of harm now: act swiftly")
    steps_taken: Annotated[str, text.Text(1000)] | None = Field(
        None, description="what the monitors did at the facility"
    )


class MonitoredChild(NativeChild):
    description: Annotated[str, text.Text(500)] | None = Field(
        None, description="for a child who was not named: group, age, role"
    )
    group: Label | None = Field(None, description="отряд, класс или камера")
    observations: Text | None = Field(None, description="what concerns this child in particular")
    injuries_seen: bool = False
    agreed_to_referral: bool = Field(..., description="the child agreed that the concern be passed on")
    hub_child_id: UUID | None = Field(None, description="the hub's id of the child, when the office was given it")


class Monitor(Native):
    full_name: FullName
    phone: Phone | None = None


class SafeguardingConcern(Native):
    """Сообщение о нарушении прав ребёнка, выявленном мониторинговой группой.

    The monitors' Ethical Guidelines and Child Protection Policy: "where monitors
    believe that one or more children may have experienced or be at risk of harm
    [from another child, an adult or one or more members of staff], they must act
    swiftly ... to report any suspicion or allegation of abuse or neglect to the
    Ombudsman, who will take the necessary action"; sharing is "strictly limited to
    appropriate professionals who need to know". The facility is never told.
    """

    message_type: Literal["safeguarding_concern"]
    report_no: Number = Field(..., description="регистрационный номер сообщения")
    reported_on: date = Field(..., description="дата сообщения")
    visit: Visit
    concern: Concern
    children: list[MonitoredChild] = Field(..., min_length=1, max_length=30)
    reported_by: Monitor = Field(..., description="the lead monitor")

    @model_validator(mode="after")
    def _checks(self, info: ValidationInfo) -> SafeguardingConcern:
        in_order(("visit.visited_on", self.visit.visited_on), ("reported_on", self.reported_on))
        not_after_today(info, ("reported_on", self.reported_on))
        if "staff" in self.concern.about and not self.concern.staff_involved:
            raise invalid("concern.staff_involved", "say which staff (by role) the concern is about")
        known = [c.hub_child_id for c in self.children if c.hub_child_id is not None]
        if len(known) != len(set(known)):
            raise invalid("children", "the same hub child is named twice")
        for i, child in enumerate(self.children):
            named_or_described(f"children.{i}.given_name", child, child.description)
            a_child_on(f"children.{i}.date_of_birth", child.date_of_birth, self.visit.visited_on)
        return self


class ComplainantChild(NativeChild):
    description: Annotated[str, text.Text(500)] | None = Field(None, description="for a child who gave no name")
    contact: Text | None = Field(None, description="how the child can safely be reached back, if they want")


class ChildComplaint(Native):
    """Обращение ребёнка to the Ombudsperson (Art. 7-2 of the Law on the Rights of the Child; helpline 111).

    The Ombudsperson "can receive complaints directly from children" (violence
    evaluation §2.1) and passes on those that show a child in need of protection.
    """

    message_type: Literal["child_complaint"]
    complaint_no: Number
    received_on: date
    channel: Literal["helpline_111", "letter", "email", "in_person", "monitoring_visit"]
    city: Place
    child: ComplainantChild
    about_agency: AgencyCode | None = Field(
        None, description="the agency code of a body the complaint is about (a school, a centre, a police unit)"
    )
    category: ConcernCategory
    complaint: LongText = Field(..., description="the complaint, in the child's words where possible")
    child_wishes: Annotated[str, text.Text(1000)] | None = Field(None, description="what the child wants to happen")
    immediate_risk: bool
    child_agreed_to_referral: bool
    officer: Monitor = Field(..., description="the officer of the Ombudsperson's office who took the complaint")

    @model_validator(mode="after")
    def _checks(self, info: ValidationInfo) -> ChildComplaint:
        named_or_described("child.given_name", self.child, self.child.description)
        not_after_today(info, ("received_on", self.received_on))
        a_child_on("child.date_of_birth", self.child.date_of_birth, self.received_on)
        return self


OmbudsmanMessage = Annotated[SafeguardingConcern | ChildComplaint, Field(discriminator="message_type")]
