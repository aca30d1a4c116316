"""What of a child is compared when looking for duplicates: name keys, date of birth or age, city, sex, IIN."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from hub.aggregates.child import AgeStatus
from hub.matching.transliteration import words

# Endings that vary with the child's sex or the naming custom, not with the family:
# Karimov/Karimova, Nurlanov/Nurlanuly, Yerlanovich/Yerlanuly/Yerlan kyzy (as sound keys).
_ENDINGS = re.compile(r"(oviC|eviC|ovna|evna|ova|eva|ov|ev|ina|in|uli|kizi)$")
_PARTICLES = {"uli", "kizi"}  # "Ерлан ұлы": the father's name as a word of its own
MIN_STEM = 3


def stem(key: str) -> str:
    """A family name or patronymic without its ending: stem("karimova") == stem("karimov") == "karim"."""
    stemmed = _ENDINGS.sub("", key)
    return stemmed if len(stemmed) >= MIN_STEM else key


@dataclass(frozen=True)
class Profile:
    given: tuple[str, ...]
    family: tuple[str, ...]  # stems
    patronymic: tuple[str, ...]  # stems
    aliases: tuple[str, ...]  # each word as it is and as a stem
    date_of_birth: date | None
    age: int | None
    age_disputed: bool
    city: str | None
    sex: str | None
    iin: str | None = None  # as given at referral (decision 0051)

    def name_keys(self) -> set[str]:
        return {*self.given, *self.family, *self.patronymic, *self.aliases}

    def pool(self) -> set[str]:
        """Everything a name of another record may be compared with (names are often given in either order)."""
        return {*self.given, *self.family, *self.aliases}


def _stems(text: Any) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text) if w not in _PARTICLES) if isinstance(text, str) else ()


def _words(text: Any) -> tuple[str, ...]:
    return tuple(words(text)) if isinstance(text, str) else ()


def profile_of(child: Any, today: date) -> Profile | None:
    """The child's profile; None for a record whose identity was erased or that names nobody."""
    identity = child.identity
    if not isinstance(identity, dict):
        return None
    alias_words = {w for a in child.aliases for w in words(a) if w not in _PARTICLES}
    profile = Profile(
        given=_words(identity.get("given_name")),
        family=_stems(identity.get("family_name")),
        patronymic=_stems(identity.get("patronymic")),
        aliases=tuple(sorted(alias_words | {stem(w) for w in alias_words})),
        date_of_birth=child.date_of_birth,
        age=child.age_on(today),
        age_disputed=child.age_status == AgeStatus.DISPUTED,
        city=identity.get("city"),
        sex=identity.get("sex") if identity.get("sex") != "unknown" else None,
        iin=identity.get("iin"),
    )
    return profile if profile.name_keys() or profile.iin else None
