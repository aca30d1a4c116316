"""What the Guardianship and Tutelage Authority (орган опеки и попечительства) sends (see README.md)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, ValidationInfo, model_validator

from adapters.native import (
    Address,
    FullName,
    Label,
    LongText,
    Name,
    Native,
    Phone,
    a_child_on,
    age_on,
    in_order,
    invalid,
    not_after_today,
)
from hub import text
from hub.aggregates.vocabulary import PlacementType
from hub.birth import DateOfBirth

DecisionNumber = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[0-9A-Za-zА-Яа-я/.\-]+$")]
Official = Annotated[str, text.Line(200)]  # a body, or a person with their position

GUARDIANSHIP_AGE = 14  # опека under 14, попечительство from 14 to 18 (Marriage and Family Code, art. 119)


class FormOfPlacement(StrEnum):
    """Форма устройства ребёнка, as the decision names it."""

    CAM_CSC = "cam_csc"  # временное помещение в ЦАН / ЦПД
    TEMPORARY_FAMILY = "temporary_family"  # временная передача в семью (патронат на время)
    TEMPORARY_INSTITUTION = "temporary_institution"  # временное помещение в иную организацию
    RELATIVES = "relatives"  # передача на воспитание родственникам
    FOSTER_FAMILY = "foster_family"  # приёмная семья
    PATRONAT = "patronat"  # патронатное воспитание
    CHILDRENS_HOME = "childrens_home"  # организация для детей-сирот: детский дом, детская деревня SOS
    RETURN_TO_PARENTS = "return_to_parents"  # возвращение родителям (законным представителям)


PLACEMENTS = {
    FormOfPlacement.CAM_CSC: PlacementType.CAM_CSC_RESIDENTIAL_UNIT,
    FormOfPlacement.TEMPORARY_FAMILY: PlacementType.TEMPORARY_FAMILY_BASED,
    FormOfPlacement.TEMPORARY_INSTITUTION: PlacementType.TEMPORARY_OTHER_RESIDENTIAL,
    FormOfPlacement.RELATIVES: PlacementType.EXTENDED_FAMILY,
    FormOfPlacement.FOSTER_FAMILY: PlacementType.FAMILY_BASED,
    FormOfPlacement.PATRONAT: PlacementType.FAMILY_BASED,
    FormOfPlacement.CHILDRENS_HOME: PlacementType.RESIDENTIAL,
    FormOfPlacement.RETURN_TO_PARENTS: PlacementType.AT_HOME,
}


class ChildRef(Native):
    """The child as the decision names them; ``child_id`` is the hub's id of the same child."""

    surname: Name = Field(..., description="фамилия")
    given_name: Name = Field(..., description="имя")
    patronymic: Name | None = Field(None, description="отчество")
    date_of_birth: DateOfBirth = Field(..., description="дата рождения")


class _Decision(Native):
    decision_no: DecisionNumber = Field(..., description="номер постановления (решения)")
    decision_date: date = Field(..., description="дата постановления")
    issued_by: Official = Field(..., description="орган: e.g. Управление образования г. Алматы (орган опеки и попечительства)")
    signed_by: Official = Field(..., description="ФИО и должность подписавшего")
    case_id: UUID = Field(..., description="the hub's case id, from the centre's recommendation or notice")
    child_id: UUID = Field(..., description="the hub's child id, from the same notice")
    child: ChildRef

    def _check_dates(self, info: ValidationInfo) -> None:
        not_after_today(info, ("decision_date", self.decision_date))
        a_child_on("child.date_of_birth", self.child.date_of_birth, self.decision_date)


class PlacementDecision(_Decision):
    """Постановление об устройстве ребёнка: where the child is placed (cam-csc-manual 8.4, 8.10.4, 8.11; N17, N19)."""

    message_type: Literal["placement_decision"]
    form_of_placement: FormOfPlacement
    placed_with: Official = Field(..., description="у кого / где: the family or the institution")
    effective_from: date = Field(..., description="с какой даты")
    grounds: LongText = Field(..., description="основания: e.g. the CAM's recommendation of dd.mm.yyyy")

    @model_validator(mode="after")
    def _checks(self, info: ValidationInfo) -> PlacementDecision:
        self._check_dates(info)
        in_order(("child.date_of_birth", self.child.date_of_birth), ("effective_from", self.effective_from))
        return self


class Guardian(Native):
    full_name: FullName = Field(..., description="ФИО опекуна (попечителя)")
    date_of_birth: DateOfBirth
    relationship: Label = Field(..., description="кем приходится ребёнку: aunt, grandmother, none...")
    is_relative: bool = Field(..., description="a relative (kinship care) or not")
    address: Address
    phone: Phone | None = None


class GuardianAppointment(_Decision):
    """Постановление о назначении опекуна (попечителя): the child is placed in the guardian's care."""

    message_type: Literal["guardian_appointment"]
    guardianship: Literal["opeka", "popechitelstvo"] = Field(
        ..., description="опека (a child under 14) or попечительство (a child of 14 to 18)"
    )
    guardian: Guardian

    @model_validator(mode="after")
    def _checks(self, info: ValidationInfo) -> GuardianAppointment:
        self._check_dates(info)
        age = age_on(self.child.date_of_birth, self.decision_date)
        expected = "opeka" if age < GUARDIANSHIP_AGE else "popechitelstvo"
        if self.guardianship != expected:
            raise invalid(
                "guardianship", f"the child's age on the day of the decision calls for {expected}, not {self.guardianship}"
            )
        if age_on(self.guardian.date_of_birth, self.decision_date) < 18:
            raise invalid("guardian.date_of_birth", "a guardian must be an adult on the day of the decision")
        return self


GuardianshipMessage = Annotated[PlacementDecision | GuardianAppointment, Field(discriminator="message_type")]
