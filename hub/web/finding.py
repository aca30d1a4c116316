"""Finding a child or a case among what the caller's agency may see: by a name written in any script (the
duplicate check's sound keys and stems, hub/matching), or by a case number; and the case list's filters.

A name is found when each word asked for sounds like a word of the child's names ("Айдос" finds "Aidos",
"Karimova" finds "Каримов"). The hub holds no IIN (Annex C has none): docs/decisions/0049.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.matching.profile import stem
from hub.matching.similarity import jaro_winkler
from hub.matching.transliteration import words

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

    def case_number(self) -> bool:
        """A query that is a case number (letters, digits and dashes with a digit), not a name."""
        text = self.q.strip()
        return bool(text) and any(c.isdigit() for c in text) and " " not in text
