"""How alike two children's records are, and in which fields (after Primero's weighted matching, peer-systems §1.9).

score = (0.6 name + 0.3 date of birth or age + 0.1 city) x 0.7 if the sexes differ.

- Name: each name of the new record (given name, family name, patronymic) is
  compared by Jaro-Winkler with every name and alias of the other, in either
  order; the best match of each counts, weighted 0.5 / 0.4 / 0.1 over the names
  both records have. Below NAME_THRESHOLD the records are not alike at all.
- Date of birth or age: the same documented date of birth agrees fully (day
  and month swapped, nearly); stated ages within a year agree less. A missing
  date of birth or age, or a disputed age (8.3.12), only lowers confidence:
  a disputed age counts for at most DISPUTED_CAP, and never excludes. Dates of
  birth, or stated ages, that are years apart exclude the match unless one is
  disputed.
- Sex: records of different sexes match only if the given names agree (a
  mis-recorded sex), never on merely alike names (a brother and a sister).
- IIN (decision 0051): where both records have one, it decides. The same IIN is
  the same child, however the names were written (a likely match, score 1);
  different IINs are different children (no match as the same child; a
  brother or sister may still be suggested). Its check digit makes a typing
  error that yields another valid IIN rare.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.matching.profile import Profile
from hub.matching.similarity import jaro_winkler

NAME_THRESHOLD = 0.85
CANDIDATE_THRESHOLD = 0.6
LIKELY = 0.85
FIELD_AGREES = 0.92  # a name this alike is listed as a field that matched
DISPUTED_CAP = 0.6
UNKNOWN_AGE = 0.4
OTHER_SEX = 0.7
NAME_WEIGHTS = {"given_name": 0.5, "family_name": 0.4, "patronymic": 0.1}


@dataclass(frozen=True)
class Match:
    score: float
    matched: tuple[str, ...]

    @property
    def likelihood(self) -> str:
        return "likely" if self.score >= LIKELY else "possible"


def best(words: tuple[str, ...], pool: set[str]) -> float:
    return sum(max((jaro_winkler(w, other) for other in pool), default=0.0) for w in words) / len(words)


def _names(new: Profile, known: Profile) -> tuple[float, list[str]]:
    parts = {
        "given_name": (new.given, known.pool()),
        "family_name": (new.family, known.pool()),
        "patronymic": (new.patronymic, set(known.patronymic) | set(known.aliases)),
    }
    scored = {field: best(words, pool) for field, (words, pool) in parts.items() if words and pool}
    if not scored:
        return 0.0, []
    weight = sum(NAME_WEIGHTS[f] for f in scored)
    score = sum(NAME_WEIGHTS[f] * s for f, s in scored.items()) / weight
    return score, [f for f, s in scored.items() if s >= FIELD_AGREES]


def _age(new: Profile, known: Profile) -> tuple[float | None, list[str]]:
    """The agreement of dates of birth or ages; None where they rule the match out."""
    disputed = new.age_disputed or known.age_disputed
    if new.date_of_birth and known.date_of_birth:
        a, b = new.date_of_birth, known.date_of_birth
        if a == b or (a.year == b.year and (a.month, a.day) == (b.day, b.month)):
            agreement, field = (1.0 if a == b else 0.8), "date_of_birth"
        else:
            agreement, field = (0.5 if abs((a - b).days) <= 366 else 0.0), None
    elif new.age is not None and known.age is not None:
        gap = abs(new.age - known.age)
        agreement, field = (0.7 if gap <= 1 else 0.4 if gap <= 3 else 0.0), ("age" if gap <= 1 else None)
    else:
        return UNKNOWN_AGE, []
    if disputed:
        return max(min(agreement, DISPUTED_CAP), 0.2), []
    if agreement == 0.0:
        return None, []
    return agreement, [field] if field else []


def compare(new: Profile, known: Profile) -> Match | None:
    """How alike ``known`` is to ``new``; None if not enough to show a manager."""
    if new.iin and known.iin:
        return Match(1.0, ("iin",)) if new.iin == known.iin else None
    name, matched = _names(new, known)
    if name < NAME_THRESHOLD:
        return None
    age, age_fields = _age(new, known)
    if age is None:
        return None
    same_city = new.city is not None and new.city == known.city
    score = 0.6 * name + 0.3 * age + 0.1 * (1.0 if same_city else 0.5)
    if new.sex and known.sex:
        if new.sex == known.sex:
            matched.append("sex")
        elif "given_name" not in matched:
            return None  # a brother and a sister with alike names (Aidos, Aida), not a mis-recorded sex
        else:
            score *= OTHER_SEX
    matched += age_fields + (["city"] if same_city else [])
    if score < CANDIDATE_THRESHOLD:
        return None
    return Match(round(score, 3), tuple(matched))
