"""What a school sends: the school psychologist's or social pedagogue's concern report (see README.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, model_validator

from adapters.native import (
    FullName,
    LongText,
    Native,
    NativeChild,
    Phone,
    Relative,
    Text,
    a_child_on,
    in_order,
    named_or_described,
    not_after_today,
)
from hub import text
from hub.geography.place import Place

ConcernType = Literal[
    "signs_of_physical_violence",  # признаки физического насилия
    "suspected_sexual_abuse",  # подозрение на сексуальное насилие
    "psychological_violence",  # психологическое насилие
    "neglect",  # пренебрежение нуждами ребёнка (безнадзорность)
    "bullying",  # буллинг / кибербуллинг
    "self_harm_or_suicide_risk",  # самоповреждение, суицидальный риск
    "exploitation",  # эксплуатация, в т.ч. трудовая
    "other",
]


class Author(Native):
    full_name: FullName = Field(..., description="ФИО")
    position: Literal[
        "psychologist", "social_pedagogue", "class_teacher", "teacher", "deputy_director", "director", "school_nurse"
    ] = Field(..., description="педагог-психолог, социальный педагог, классный руководитель...")
    phone: Phone | None = None


class Pupil(NativeChild):
    grade: Annotated[str, Field(pattern=r"^(0|[1-9]|1[0-2]) ?[А-ЯA-Z]?$")] = Field(
        ..., description="класс, e.g. 7Б (0 is the pre-school class)"
    )


class ConcernReport(Native):
    """Служебная записка (сообщение) о выявлении признаков насилия в отношении обучающегося.

    On violence the school psychologist "is supposed to file a report and involve a
    social pedagogue" (violence evaluation O10); social pedagogues report children
    to child protection or police services in cases of abuse, neglect or violence (O9);
    health, education and social protection specialists must report suspected
    violations of child rights (O1, 2019 law).
    """

    message_type: Literal["concern_report"]
    report_no: Annotated[str, text.Line(50)] = Field(
        ..., description="номер в журнале регистрации обращений школы"
    )
    school_name: Annotated[str, text.Line(200)] = Field(..., description="организация образования")
    city: Place
    author: Author
    pupil: Pupil
    parents: list[Relative] = Field(default_factory=list, max_length=4)
    concern_type: ConcernType
    observed_on: date = Field(..., description="when the signs were first seen or the pupil disclosed")
    reported_on: date = Field(..., description="дата записки")
    what_was_observed: LongText = Field(..., description="что замечено: signs, behaviour, injuries")
    pupil_disclosure: LongText | None = Field(None, description="what the pupil said, in their words")
    visible_injuries: bool
    suspected_person: Annotated[str, text.Line(200)] | None = Field(
        None, description="who is suspected, by role (stepfather, classmates, coach...)"
    )
    immediate_danger: bool = Field(..., description="угроза жизни или здоровью: the pupil must not go home today")
    measures_taken: Text | None = Field(
        None, description="принятые меры: school inspector called, parents informed..."
    )
    pupil_agreed: bool = Field(..., description="the pupil agreed to the report being passed on")
    parent_agreed: bool = Field(False, description="a parent agreed (not asked when a parent is suspected)")
    special_needs: Annotated[str, text.Text(500)] | None = Field(
        None, description="особые образовательные потребности"
    )

    @model_validator(mode="after")
    def _checks(self, info: ValidationInfo) -> ConcernReport:
        named_or_described("pupil.given_name", self.pupil, None)
        in_order(("pupil.date_of_birth", self.pupil.date_of_birth), ("observed_on", self.observed_on),
                 ("reported_on", self.reported_on))
        not_after_today(info, ("reported_on", self.reported_on))
        a_child_on("pupil.date_of_birth", self.pupil.date_of_birth, self.observed_on)
        return self


SchoolMessage = ConcernReport
