"""Dates of birth and ages as the hub takes them in (docs/decisions/0023).

- A date of birth is a day in the past, no earlier than 1900: a later one is a typing
  error, not a person.
- A child is under 18: "A 'child' is an individual aged 0 to 18 years" (cam-csc-manual
  L58; ngo-services-manual L230, L253), and a person of 18 is no longer one (the case
  closes, 8.11.18; the file is archived, D53). A referral is of a child, whichever way
  the age is given: a stated age of 18 or more, or a date of birth that makes the person
  18 or more today, is refused under the rule ``L58-adult`` - the rule the CAM/CSC would
  otherwise meet only when it tries to open the case (hub/aggregates/case.py).

Numbers are strict: JSON's ``true`` is not the age 1, and a number is not a date. Dates are judged as of
``hub.inbound.local_today``, and not at all when read back from the store.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, Field, GetCoreSchemaHandler, StrictInt, ValidationInfo
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from hub.inbound import is_stored, local_today

ADULTHOOD = 18
EARLIEST = date(1900, 1, 1)
ADULT_RULE = "L58-adult"
_NOT_A_CHILD = (
    "a referral is of a child, aged under 18 (cam-csc-manual L58): {which}; the hub has no path for adults yet"
)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _not_a_number(value: Any) -> Any:
    if isinstance(value, int | float):
        raise PydanticCustomError("date_type", "a date is written YYYY-MM-DD, not as a number")
    return value


class _Written:
    """JSON has no dates: one is a string, and a number is not read as seconds since 1970. A body the API
    parsed is validated as Python objects, where pydantic would take 0 for 1970-01-01; a JSON document
    validated as such (an agency's message) is refused a number by the date schema itself, and must reach
    it unwrapped: a function before it would hand it a Python str, which a strict date refuses."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = handler(source)
        return core_schema.json_or_python_schema(
            json_schema=schema, python_schema=core_schema.no_info_before_validator_function(_not_a_number, schema)
        )


def _plausible(born: date, info: ValidationInfo) -> date:
    if is_stored(info):
        return born
    if born < EARLIEST:
        raise PydanticCustomError("impossible_date", "a date of birth before 1900 is not one of a living person")
    if born > local_today(info):
        raise PydanticCustomError("impossible_date", "a date of birth in the future")
    return born


def _of_a_child(born: date, info: ValidationInfo) -> date:
    if not is_stored(info) and age_on(born, local_today(info)) >= ADULTHOOD:
        which = "born on this date, the person is 18 or older today"
        raise PydanticCustomError("not_a_child", _NOT_A_CHILD, {"which": which, "rule": ADULT_RULE})
    return born


def _aged_a_child(age: int) -> int:
    if age >= ADULTHOOD:
        which = "the age given is 18 or more"
        raise PydanticCustomError("not_a_child", _NOT_A_CHILD, {"which": which, "rule": ADULT_RULE})
    return age


PLAUSIBLE_BIRTH = AfterValidator(_plausible)  # for a date of birth another type parses (a form's DD.MM.YYYY)
DateOfBirth = Annotated[date, _Written(), PLAUSIBLE_BIRTH]
ChildsDateOfBirth = Annotated[DateOfBirth, AfterValidator(_of_a_child)]
StatedAge = Annotated[
    StrictInt, Field(ge=0, json_schema_extra={"maximum": ADULTHOOD - 1}), AfterValidator(_aged_a_child)
]
