"""What a medical organisation sends: the SOP notice of suspected violence, and examination findings (see README.md)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, Field, ValidationInfo, model_validator

from adapters.native import (
    FullName,
    Label,
    LongText,
    Native,
    NativeChild,
    Phone,
    Relative,
    Text,
    a_child_on,
    in_order,
    invalid,
    local_date,
    named_or_described,
    not_after_today,
)
from hub import text
from hub.birth import DateOfBirth
from hub.geography.place import Place

EVALUATION_WITHIN = timedelta(hours=1)  # NCPH SOP of 20 Nov 2020: medical evaluation within one hour
NOTICE_WITHIN = timedelta(days=1)  # ... and written notice to every body within one day

_ICD10 = re.compile(r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,2})?$")


def _icd10(code: str) -> str:
    if not _ICD10.match(code):
        raise ValueError("not an ICD-10 code (a letter, two digits, optionally a dot and one or two more)")
    return code


ICD10 = Annotated[str, AfterValidator(_icd10), Field(description="код МКБ-10, e.g. T74.1, S00.8, Y07.1")]


def is_maltreatment(code: str) -> bool:
    """T74 (maltreatment syndromes), T76 (suspected maltreatment), X85-Y09 (assault)."""
    return code[:3] in ("T74", "T76") or code[0] == "X" and code[1:3] >= "85" or code[0] == "Y" and code[1:3] <= "09"


class Doctor(Native):
    full_name: FullName = Field(..., description="ФИО врача")
    specialty: Label = Field(..., description="специальность, e.g. врач-педиатр, судебно-медицинский эксперт")
    phone: Phone | None = None


class Patient(NativeChild):
    medical_record_no: Annotated[str, text.Line(50)] | None = Field(
        None, description="номер медицинской карты (истории болезни)"
    )
    school: Annotated[str, text.Line(200)] | None = Field(
        None, description="организация образования (детский сад), if any"
    )


class ViolenceNotice(Native):
    """Письменное извещение о выявлении признаков насилия в отношении ребёнка.

    Under the NCPH standard operating procedure for medical staff (20 Nov 2020;
    violence evaluation O7, L1631), a medical worker who suspects violence tells the
    head of the organisation; the child is evaluated within one hour; the head
    sends written notice within one day to internal affairs (102), the
    guardianship authority, the Commission on Minors' Affairs, social protection
    and the head of the child's school or pre-school.
    """

    message_type: Literal["violence_notice"]
    notice_no: Annotated[str, text.Line(50)] = Field(..., description="исходящий номер извещения")
    organisation: Annotated[str, text.Line(200)] = Field(..., description="медицинская организация")
    city: Place
    head_of_organisation: FullName = Field(
        ..., description="ФИО руководителя, who signs the notice"
    )
    identified_at: AwareDatetime = Field(..., description="when a medical worker suspected violence: the SOP's clocks start")
    evaluated_at: AwareDatetime = Field(..., description="when the medical evaluation was done (due within 1 hour)")
    signed_at: AwareDatetime = Field(..., description="when the head signed this notice (due within 1 day)")
    doctor: Doctor
    patient: Patient
    legal_representatives: list[Relative] = Field(default_factory=list, max_length=4)
    brought_by: Text | None = Field(None, description="кем доставлен: ambulance, mother, school nurse...")
    icd10: list[ICD10] = Field(..., min_length=1, max_length=10, description="diagnoses; at least one T74, T76 or X85-Y09")
    findings: LongText = Field(..., description="объективный статус: the injuries and their description")
    patient_account: LongText | None = Field(None, description="со слов ребёнка")
    suspected_person: Annotated[str, text.Line(200)] | None = Field(
        None, description="by role: stepfather, mother, unknown adult..."
    )
    hospitalised: bool
    danger_to_life: bool = Field(..., description="угроза жизни или здоровью: the child cannot safely go home")
    police_called_at: AwareDatetime | None = Field(None, description="when internal affairs (102) were called")
    social_worker: FullName | None = Field(
        None, description="the social worker the SOP makes responsible for this case"
    )
    representative_agreed: bool = Field(False, description="a legal representative agreed to the referral")
    child_agreed: bool = Field(False, description="the child agreed to the referral")

    @model_validator(mode="after")
    def _checks(self, info: ValidationInfo) -> ViolenceNotice:
        named_or_described("patient.given_name", self.patient, None)
        in_order(("identified_at", self.identified_at), ("evaluated_at", self.evaluated_at),
                 ("signed_at", self.signed_at))
        in_order(("identified_at", self.identified_at), ("police_called_at", self.police_called_at))
        not_after_today(info, ("signed_at", self.signed_at), ("police_called_at", self.police_called_at))
        a_child_on("patient.date_of_birth", self.patient.date_of_birth, local_date(self.identified_at))
        if not any(is_maltreatment(code) for code in self.icd10):
            raise invalid("icd10", "a violence notice records maltreatment or assault: T74, T76 or X85-Y09")
        return self

    @property
    def evaluation_late(self) -> bool:
        return self.evaluated_at - self.identified_at > EVALUATION_WITHIN

    @property
    def notice_due(self) -> date:
        return local_date(self.identified_at + NOTICE_WITHIN)


class ExaminationReport(Native):
    """Заключение по результатам медицинского освидетельствования.

    The findings of an examination the CAM/CSC asked this health body for, with
    the consent the child's age requires (cam-csc-manual 8.3.21-8.3.23).
    """

    message_type: Literal["examination_report"]
    report_no: Annotated[str, text.Line(50)] = Field(..., description="номер заключения")
    case_id: UUID = Field(..., description="the hub's case id, from the centre's request")
    child_id: UUID = Field(..., description="the hub's child id, from the same request")
    examination_id: UUID = Field(..., description="the hub's id of the request")
    patient_name: Annotated[str, text.Name(300)] = Field(..., description="ФИО as examined")
    patient_date_of_birth: DateOfBirth | None = None
    examined_at: AwareDatetime
    doctor: Doctor
    findings: LongText = Field(..., description="результаты осмотра")
    icd10: list[ICD10] = Field(default_factory=list, max_length=10)
    conclusion: LongText = Field(..., description="заключение")

    @model_validator(mode="after")
    def _checks(self, info: ValidationInfo) -> ExaminationReport:
        not_after_today(info, ("examined_at", self.examined_at))
        a_child_on("patient_date_of_birth", self.patient_date_of_birth, local_date(self.examined_at))
        return self


HealthMessage = Annotated[ViolenceNotice | ExaminationReport, Field(discriminator="message_type")]
