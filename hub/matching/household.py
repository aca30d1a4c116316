"""Whether two children's records look like brothers and sisters rather than one child (docs/decisions/0041).

Siblings are referred apart (cam L5058-5064) and kept in separate files (L5705-5709; ngo L2066); the
referral form asks for them (cam B8). Two records are suggested as siblings when their family names
agree (across transliterations and the Karimov/Karimova endings: the profiles' stems), their given
names do not (that would be one child, which ``score.compare`` judges), they live in the same place,
and the referrals of both name the same parent or give the same address.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hub.aggregates.referral_content import ReferralContent
from hub.matching.profile import Profile
from hub.matching.score import FIELD_AGREES, NAME_THRESHOLD, Match, best
from hub.matching.transliteration import words

SHARED_FAMILY_NAME = 0.5
EACH_HOUSEHOLD_FIELD = 0.25


@dataclass(frozen=True)
class Household:
    """What the referrals about a child say of its home: its parents' names and its addresses, as sound keys."""

    parents: frozenset[tuple[str, ...]]
    addresses: frozenset[tuple[str, ...]]


def household_of(contents: Iterable[ReferralContent]) -> Household:
    contents = list(contents)
    return Household(
        parents=frozenset(tuple(sorted(words(p.name))) for c in contents for p in c.parents if words(p.name)),
        addresses=frozenset(tuple(words(c.child.address)) for c in contents if c.child.address and words(c.child.address)),
    )


def sibling_match(new: Profile, known: Profile, new_home: Household, known_home: Household) -> Match | None:
    """How likely ``known`` is a sibling of ``new``; None if nothing says so."""
    if not new.family or not known.family or best(new.family, {*known.family, *known.aliases}) < FIELD_AGREES:
        return None
    if new.given and known.given and best(new.given, set(known.given)) >= NAME_THRESHOLD:
        return None  # the same given name: one child, if any
    if new.city is None or new.city != known.city:
        return None
    shared = [field for field, here, there in (("parents", new_home.parents, known_home.parents),
                                               ("address", new_home.addresses, known_home.addresses)) if here & there]
    if not shared:
        return None
    return Match(SHARED_FAMILY_NAME + EACH_HOUSEHOLD_FIELD * len(shared), ("family_name", "city", *shared))
