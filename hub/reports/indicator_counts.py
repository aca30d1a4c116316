"""What one unit of an indicator is, and when it falls in a reporting period (hub/policy/indicators.yaml ``counts``).

Each function turns one child's dossier into the units it contributes to a
period: the moment each happened (ages are taken then) and the referral behind
it (its referrer, and whether it reopened a closed file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import SupporterStep
from hub.aggregates.monitoring_visit import MonitoringVisit
from hub.aggregates.referral import Referral, ReferralState
from hub.aggregates.vocabulary import CASE_MANAGING_BODIES, CLOSED_INSTITUTIONS, PlacementType
from hub.privacy.dossier import AgencyRef, Dossier

RE_REFERRAL_WINDOW = timedelta(days=365)  # D54: "within 1 year of the completion of their care plan"
# A referral that ended here because it went on elsewhere is counted where it went, not twice.
_PASSED_ON = (ReferralState.REDIRECTED, ReferralState.LINKED)
_TEMPORARY_CARE = frozenset(p for p in PlacementType if p.value.startswith("temporary_care"))


@dataclass(frozen=True)
class Period:
    start: datetime  # inclusive
    end: datetime  # exclusive

    def __contains__(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end


@dataclass(frozen=True)
class Unit:
    at: datetime
    referral: Referral | None
    extra: dict[str, str] = field(default_factory=dict)  # breakdowns only this kind of unit has


Counter = Callable[[Dossier, Period, dict[str, AgencyRef]], list[Unit]]
# Units that are no child's (a monitoring visit): counted from the records of the log that are about no child.
RecordCounter = Callable[[Iterable[object], Period, dict[str, AgencyRef]], list[Unit]]


def received(dossier: Dossier, agencies: dict[str, AgencyRef]) -> list[Referral]:
    """The referrals a CAM/CSC received about the child, each once."""
    return [
        r for r in dossier.referrals
        if r.recipient_agency in agencies and agencies[r.recipient_agency].kind in CASE_MANAGING_BODIES
        and r.state not in _PASSED_ON
    ]


def _first_referral(dossier: Dossier, case: Case) -> Referral | None:
    return next((r for r in dossier.referrals if r.id in case.referral_ids), None)


def referral_received(dossier: Dossier, period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    return [Unit(r.created_on, r) for r in received(dossier, agencies) if r.created_on in period]


def admission(dossier: Dossier, period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    return [Unit(c.created_on, _first_referral(dossier, c)) for c in dossier.cases if c.created_on in period]


def supporter_appointed(dossier: Dossier, period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    return [
        Unit(at, _first_referral(dossier, c))
        for c in dossier.cases
        if (at := c.supporter_steps.get(SupporterStep.NGO_ACCEPTED)) is not None and at in period
    ]


def _placements(dossier: Dossier, period: Period, chosen: Callable[[PlacementType], bool]) -> list[Unit]:
    return [
        Unit(p["since"], _first_referral(dossier, c), {"care_arrangement": p["placement"]})
        for c in dossier.cases
        for p in c.placement_history
        if chosen(PlacementType(p["placement"])) and p["since"] in period
    ]


def temporary_care(dossier: Dossier, period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    return _placements(dossier, period, lambda p: p in _TEMPORARY_CARE)


def placed_in_centre(dossier: Dossier, period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    return _placements(dossier, period, lambda p: p == PlacementType.CAM_CSC_RESIDENTIAL_UNIT)


def social_assessment(dossier: Dossier, period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    return [
        Unit(c.social_assessment_concluded_at, _first_referral(dossier, c))
        for c in dossier.cases
        if c.social_assessment_concluded_at is not None and c.social_assessment_concluded_at in period
    ]


def _plans(dossier: Dossier, period: Period, protection: bool, care: bool) -> list[Unit]:
    """Cases whose first plan was made in the period, by the plans they had when it ended (9, 10, 11)."""
    units = []
    for c in dossier.cases:
        made = [at for at in (c.protection_plan_finalised_at, c.care_plan_developed_at) if at is not None and at < period.end]
        if made and min(made) in period:
            had = (c.protection_plan_finalised_at in made, c.care_plan_developed_at in made)
            if had == (protection, care):
                units.append(Unit(min(made), _first_referral(dossier, c)))
    return units


def protection_plan_only(dossier: Dossier, period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    return _plans(dossier, period, protection=True, care=False)


def care_plan_only(dossier: Dossier, period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    return _plans(dossier, period, protection=False, care=True)


def both_plans(dossier: Dossier, period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    return _plans(dossier, period, protection=True, care=True)


def re_referred_within_a_year(dossier: Dossier, period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    ended = [c.plan_ended_at for c in dossier.cases if c.plan_kind == "care" and c.plan_ended_at is not None]
    return [
        Unit(r.created_on, r)
        for r in received(dossier, agencies)
        if r.created_on in period and any(end < r.created_on <= end + RE_REFERRAL_WINDOW for end in ended)
    ]


# -- per closed institution, for the Ombudsman (decision 0040) --


def institution_placement(dossier: Dossier, period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    """A placement naming a closed institution, on its decision."""
    return [
        Unit(p["since"], _first_referral(dossier, c), {"institution": p["institution"]})
        for c in dossier.cases for p in c.placement_history if p.get("institution") and p["since"] in period
    ]


def _placed_in(dossier: Dossier, moment: datetime) -> str | None:
    """The closed institution the child's latest placement before the moment named, if it did (the referral that
    led to the placement is not one made while placed)."""
    before = [p for c in dossier.cases for p in c.placement_history if p["since"] < moment]
    return max(before, key=lambda p: p["since"]).get("institution") if before else None


def concern_while_placed(dossier: Dossier, period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    """A referral about the child (an injury, a concern, a complaint) while placed in a closed institution."""
    return [
        Unit(r.created_on, r, {"institution": institution})
        for r in dossier.referrals
        if r.created_on in period and (institution := _placed_in(dossier, r.created_on)) is not None
    ]


def allegation_against_institution(dossier: Dossier, period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    """An allegation against a closed institution's staff, on its report."""
    return [
        Unit(a.created_on, next((r for r in dossier.referrals if r.id == a.referral_id), None),
             {"institution": a.employer_agency})
        for a in dossier.allegations
        if a.created_on in period and a.employer_agency in agencies
        and agencies[a.employer_agency].kind in CLOSED_INSTITUTIONS
    ]


def monitoring_visit(records: Iterable[object], period: Period, agencies: dict[str, AgencyRef]) -> list[Unit]:
    """A monitoring visit, on the day it took place (in the period's time zone)."""
    units = []
    for visit in records:
        if isinstance(visit, MonitoringVisit):
            at = datetime.combine(visit.visited_on, time(), tzinfo=period.start.tzinfo)
            if at in period:
                units.append(Unit(at, None, {"institution": visit.institution}))
    return units


RECORD_COUNTERS: dict[str, RecordCounter] = {monitoring_visit.__name__: monitoring_visit}

COUNTERS: dict[str, Counter] = {
    f.__name__: f
    for f in (
        referral_received, admission, supporter_appointed, temporary_care, placed_in_centre, social_assessment,
        protection_plan_only, care_plan_only, both_plans, re_referred_within_a_year, institution_placement,
        concern_while_placed, allegation_against_institution,
    )
}
