"""The Kazakh individual identification number (ИИН, жеке сәйкестендіру нөмірі) as the hub takes it in (decision 0051).

Twelve digits: the date of birth as YYMMDD, a digit for the century and the sex (1/2: born 1800-1899,
3/4: 1900-1999, 5/6: 2000-2099; odd male, even female), a serial of four digits and a check digit. The check
digit is the sum of the first eleven digits weighted 1..11, modulo 11; where that is 10, weighted 3..11, 1, 2;
where that is 10 too, no number is issued (Government decree No. 565 of 11 June 2003).

An IIN is optional everywhere: undocumented children have none, and schools and clinics asking for one is a
barrier the manuals name (ngo-services-manual L1725, cam-csc-manual L393); a child's id never depends on it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

PATTERN = r"^\d{12}$"
DESCRIPTION = (
    "ИИН (жеке сәйкестендіру нөмірі), the individual identification number: YYMMDD of birth, a digit for "
    "century and sex (3/4: born 1900-1999, 5/6: born 2000-2099; odd: male, even: female), a serial and a check digit"
)
_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}
_WEIGHTS = (range(1, 12), (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2))


def is_valid(iin: str) -> bool:
    """Its check digit is right (twelve digits assumed)."""
    digits = [int(d) for d in iin]
    for weights in _WEIGHTS:
        check = sum(d * w for d, w in zip(digits, weights, strict=False)) % 11  # the 12th digit is the check itself
        if check != 10:
            return check == digits[11]
    return False


def birth(iin: str) -> tuple[date | None, str | None]:
    """The date of birth and sex an IIN encodes (None where it encodes none)."""
    century = _CENTURY.get(iin[6])
    if century is None:
        return None, None
    try:
        born = date(century + int(iin[:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None, None
    return born, "male" if int(iin[6]) % 2 else "female"


def disagreement(iin: str, born: date | None, sex: str | None) -> str | None:
    """What of the child as given the IIN contradicts ("date_of_birth" or "sex"), if anything: a number typed
    for another person, or a date of birth typed wrong. An unknown sex contradicts nothing."""
    encoded_born, encoded_sex = birth(iin)
    if born is not None and encoded_born != born:
        return "date_of_birth"
    if sex in ("male", "female") and encoded_sex != sex:
        return "sex"
    return None


def _checked(iin: str) -> str:
    if not is_valid(iin):
        raise PydanticCustomError("iin_check_digit", "not a valid IIN: its check digit is wrong")
    if birth(iin)[0] is None:
        raise PydanticCustomError("iin_no_birth", "not a valid IIN: it encodes no date of birth")
    return iin


Iin = Annotated[str, Field(pattern=PATTERN, description=DESCRIPTION), AfterValidator(_checked)]
