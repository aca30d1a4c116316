"""Where a child may be, as a form's choice: a referral's place on the portal's intake form, and the alleged
perpetrator's on the form that records him (docs/decisions/0049, 0060)."""

from __future__ import annotations

from hub.geography.units import COUNTRY, geography


def places(lang: str) -> list[tuple[str, str]]:
    """Every unit below the country, named with the units it lies in."""
    units = geography()
    named = [
        (code, " / ".join(u.name(lang) for u in reversed(units.chain(code)) if u.code != COUNTRY))
        for code in units.units if code != COUNTRY
    ]
    return sorted(named, key=lambda pair: pair[1])
