"""Finding a child or a case among what the caller's agency may see: by a name written in any script (the
duplicate check's sound keys and stems, hub/matching), by a case number or by an IIN; and the case list's filters.

A name is found when each word asked for sounds like a word of the child's names ("Айдос" finds "Aidos",
"Karimova" finds "Каримов"). Twelve digits are an IIN, found through the keyed index (docs/decisions/0051).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.matching.profile import stem
from hub.matching.similarity import jaro_winkler
from hub.matching.transliteration import words

IIN_DIGITS = 12
SOUNDS_ALIKE = 0.9  # the duplicate check's "likely" is 0.85 over a whole name; one word asked for is held higher


def _keys(text: str) -> set[str]:
    return {k for w in words(text) for k in (w, stem(w))}


def names_of(child: dict[str, Any]) -> set[str]:
    identity = child.get("identity")
    named = identity if isinstance(identity, dict) else {}
    aliases = child.get("aliases")
    parts = [named.get(p) for p in ("given_name", "family_name", "patronymic")] + (aliases if isinstance(aliases, list) else [])
    return {k for p in parts if isinstance(p, str) for k in _keys(p)}


def sounds_like(asked: str, child: dict[str, Any]) -> bool:
    known = names_of(child)
    wanted = [_keys(w) for w in words(asked)]
    return bool(wanted) and bool(known) and all(
        any(jaro_winkler(key, other) >= SOUNDS_ALIKE for key in keys for other in known) for keys in wanted
    )


@dataclass(frozen=True)
class Filters:
    """The case list's filters, as the page's query names them; empty is "any"."""

    q: str = ""
    state: str = ""
    social_worker: str = ""
    region: str = ""
    due: str = ""  # "overdue", "due_soon" (its clock in the last part of its span, or past it) or ""
    sort: str = "due"  # "due", "updated", "number" or "name"

    def iin(self) -> bool:
        """A query of twelve digits, as an IIN is written: a case number is eight characters (4928ED36, 4928ED36.1)."""
        text = self.q.strip()
        return len(text) == IIN_DIGITS and text.isascii() and text.isdigit()

    def case_number(self) -> bool:
        """A query that is a case number (letters, digits and dashes with a digit), not a name nor an IIN."""
        text = self.q.strip()
        return bool(text) and any(c.isdigit() for c in text) and " " not in text and not self.iin()
