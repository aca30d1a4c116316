"""What the agencies' messages share: strict models, the Kazakh IIN, and dates checked against each other.

Every native model is strict (a number is not text, text is not a number),
forbids unknown fields and is frozen. Its texts are of the hub's kinds
(hub/text.py: names, lines, free text, codes) and its dates of birth the hub's
(hub/birth.py). Checks that compare dates with today read ``now`` from the
validation context (``adapters.registry.Adapter.parse`` passes the hub clock),
so a message is judged as of when it is received. No refusal quotes the
message: a date of birth or an IIN is personal data.
"""

from __future__ import annotations

from datetime import date, datetime
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from hub import iin, text
from hub.birth import ADULTHOOD, DateOfBirth, StatedAge, age_on

# KZ and local_date are read here by the messages and their translations.
from hub.inbound import KZ, local_date, local_today, received_at  # noqa: F401

Text = Annotated[str, text.Text(2000)]
LongText = Annotated[str, text.Text(4000)]
Address = Annotated[str, text.Text(500)]
Name = Annotated[str, text.Name(100)]
FullName = Annotated[str, text.Name(200)]  # ФИО: surname, given name and patronymic in one
Label = Annotated[str, text.Line(100)]  # one line that is not a name: a relationship, a rank, a language
Phone = Annotated[str, Field(min_length=3, max_length=50, pattern=r"^[0-9+() -]+$")]
AgencyCode = Annotated[str, text.Code(64), Field(description="agency code in the hub's directory")]
IIN = Annotated[str, Field(pattern=iin.PATTERN, description=iin.DESCRIPTION)]
Sex = Literal["male", "female"]


class Native(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, str_strip_whitespace=True)


# -- errors a check across fields raises; ``field`` names the field it blames ------------------------


def impossible(field: str, message: str) -> PydanticCustomError:
    return PydanticCustomError("impossible_date", message, {"field": field})


def mismatch(field: str, message: str) -> PydanticCustomError:
    return PydanticCustomError("child_mismatch", message, {"field": field})


def invalid(field: str, message: str) -> PydanticCustomError:
    return PydanticCustomError("invalid_value", message, {"field": field})


# -- dates in order ------------------------------------------------------------------------------------


def in_order(*steps: tuple[str, date | datetime | None]) -> None:
    """Each named date no earlier than the one before it (None: not given, skipped)."""
    given = [(name, value) for name, value in steps if value is not None]
    for (before_name, before), (name, value) in pairwise(given):
        if value < before:
            raise impossible(name, f"{name} is before {before_name}")


def not_after_today(info: ValidationInfo, *steps: tuple[str, date | datetime | None]) -> None:
    now = received_at(info)
    for name, value in steps:
        if value is None:
            continue
        future = value > now if isinstance(value, datetime) else value > local_today(info)
        if future:
            raise impossible(name, f"{name} is in the future")


def a_child_on(field: str, born: date | None, day: date) -> None:
    """Born no later than ``day``, and under 18 on it."""
    if born is None:
        return
    if born > day:
        raise impossible(field, f"the child was not yet born on {day}, the day of the events the message reports")
    if age_on(born, day) >= ADULTHOOD:
        raise impossible(
            field, f"the person was 18 or older on {day}, the day of the events the message reports: not a child "
            "(cam-csc-manual L58)",
        )


# -- the IIN (hub/iin.py) ---------------------------------------------------------------------------


def check_iin(field: str, number: str | None, born: date | None, sex: str | None) -> None:
    if number is None:
        return
    if not iin.is_valid(number):
        raise invalid(field, "not a valid IIN: its check digit is wrong")
    if iin.birth(number)[0] is None:
        raise invalid(field, "not a valid IIN: it encodes no date of birth")
    contradicted = iin.disagreement(number, born, sex)
    if contradicted == "date_of_birth":
        raise mismatch(field, "the IIN is of a person born on another day than the date of birth given")
    if contradicted == "sex":
        raise mismatch(field, "the IIN is of a person of the other sex than the one given")


# -- a child as an agency knows them ----------------------------------------------------------------------


class NativeChild(Native):
    """A child as a record of the agency names them (ФИО, date of birth, IIN where known)."""

    surname: Name | None = Field(None, description="фамилия (тегі)")
    given_name: Name | None = Field(None, description="имя (аты)")
    patronymic: Name | None = Field(None, description="отчество (әкесінің аты), e.g. -ович/-овна, -ұлы/-қызы")
    date_of_birth: DateOfBirth | None = Field(None, description="дата рождения")
    apparent_age: StatedAge | None = Field(
        None, description="the age the child gives or appears to be, when no date of birth is known"
    )
    sex: Sex | None = Field(None, description="пол")
    iin: IIN | None = None
    citizenship: Label | None = Field(None, description="гражданство, as stated (e.g. Uzbekistan)")
    languages: list[Label] = Field(default_factory=list, max_length=10)
    address: Address | None = Field(None, description="адрес проживания")

    @model_validator(mode="after")
    def _consistent(self) -> NativeChild:
        if self.date_of_birth is not None and self.apparent_age is not None:
            raise invalid("apparent_age", "give either date_of_birth or apparent_age, not both")
        check_iin("iin", self.iin, self.date_of_birth, self.sex)
        return self

    @property
    def full_name(self) -> str:
        return " ".join(filter(None, (self.surname, self.given_name, self.patronymic))) or "(name unknown)"

    def identity(self, city: str, **extra: Any) -> dict[str, Any]:
        """The hub's ChildIdentity fields this child gives; ``extra`` adds the agency's own."""
        return {
            "given_name": self.given_name,
            "family_name": self.surname,
            "patronymic": self.patronymic,
            "date_of_birth": self.date_of_birth,
            "stated_age": self.apparent_age,
            "sex": self.sex,
            "nationality": self.citizenship,
            "languages": list(self.languages),
            "address": self.address,
            "city": city,
            "iin": self.iin,
            **extra,
        }


def named_or_described(field: str, child: NativeChild, description: str | None) -> None:
    if not (child.surname or child.given_name or description):
        raise PydanticCustomError(
            "missing", "name the child or describe them", {"field": field}  # reported as missing-field
        )


class Relative(Native):
    """A parent or legal representative (законный представитель)."""

    full_name: FullName = Field(..., description="ФИО")
    relationship: Label = Field(..., description="мать, отец, опекун, бабушка... (mother, father, guardian...)")
    address: Address | None = None
    phone: Phone | None = None

    def as_parent(self) -> dict[str, Any]:
        return {"name": self.full_name, "relationship": self.relationship, "address": self.address, "phone": self.phone}
