"""The disaggregations of the indicators (cam-csc-manual §7.2 "SD", type of referrer, readmission).

Each turns a counted unit into the label of its cell. Labels are categories,
never free text a child could be recognised by: a nationality is a country
name as recorded, and small cells are suppressed afterwards (hub/reports/suppression.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from hub.aggregates.case_vocabulary import CaseState
from hub.aggregates.vocabulary import CabmCategory
from hub.privacy.dossier import AgencyRef, Dossier
from hub.reports.indicator_counts import Unit

NOT_RECORDED = "not recorded"
KAZAKHSTAN = "Kazakhstan"
_KAZAKHSTAN_NAMES = {"kazakhstan", "kz", "kaz", "republic of kazakhstan", "казахстан", "қазақстан"}


@dataclass(frozen=True)
class Context:
    agencies: dict[str, AgencyRef]
    age_bands: Sequence[int]


Breakdown = Callable[[Dossier, Unit, Context], str]


def gender(dossier: Dossier, unit: Unit, context: Context) -> str:
    return dossier.child.identity.get("sex") or NOT_RECORDED


def age(dossier: Dossier, unit: Unit, context: Context) -> str:
    years = dossier.child.age_on(unit.at.date())
    if years is None:
        return NOT_RECORDED
    bands = list(context.age_bands)
    for low, high in pairwise(bands):
        if low <= years < high:
            return f"{low}-{high - 1}"
    return f"{bands[-1]}+" if years >= bands[-1] else f"under {bands[0]}"


def disability(dossier: Dossier, unit: Unit, context: Context) -> str:
    """Recorded in any referral known by then; the manuals collect it, and its absence proves nothing."""
    known = [r for r in dossier.referrals if r.created_on <= unit.at and r.content.child.disability]
    return "disability recorded" if known else "none recorded"


def nationality(dossier: Dossier, unit: Unit, context: Context) -> str:
    if CabmCategory.STATELESS in dossier.child.categories:
        return "stateless"
    recorded = (dossier.child.identity.get("nationality") or "").strip()
    if not recorded:
        return NOT_RECORDED
    return KAZAKHSTAN if recorded.casefold() in _KAZAKHSTAN_NAMES else recorded.title()


def referrer_type(dossier: Dossier, unit: Unit, context: Context) -> str:
    referral = unit.referral
    if referral is None:
        return NOT_RECORDED
    if referral.content.referrer.member_of_public:
        return "member of the public"
    agency = context.agencies.get(referral.referrer_agency)
    return str(agency.kind) if agency is not None else NOT_RECORDED


def readmission(dossier: Dossier, unit: Unit, context: Context) -> str:
    """A readmission reopens a closed case file of the child (L5046-5056)."""
    closed_before = any(
        c.state == CaseState.CLOSED and c.closure is not None and c.closure["closed_at"] < unit.at for c in dossier.cases
    )
    return "readmission" if closed_before else "first"


def care_arrangement(dossier: Dossier, unit: Unit, context: Context) -> str:
    return unit.extra.get("care_arrangement", NOT_RECORDED)


def institution(dossier: Dossier, unit: Unit, context: Context) -> str:
    """The closed institution the unit is about (decision 0040): an agency code, never a child."""
    return unit.extra.get("institution", NOT_RECORDED)


BREAKDOWNS: dict[str, Breakdown] = {
    f.__name__: f for f in (gender, age, disability, nationality, referrer_type, readmission, care_arrangement, institution)
}
