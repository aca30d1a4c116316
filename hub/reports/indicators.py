"""The monitoring indicators (cam-csc-manual §7.2) as anonymised cells, from dossiers rebuilt by replay.

The list of indicators, their units and breakdowns is data (hub/policy/indicators.yaml);
this module reads it and counts. Every indicator gives its total, the number of
distinct children, and one cell per label of each breakdown; small cells are
suppressed (hub/reports/suppression.py) below privacy.yaml's ``aggregates.minimum_cell``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources

from hub.aggregates.vocabulary import WITHOUT_PARENTAL_CARE, ConcernCategory
from hub.privacy.dossier import AgencyRef, Dossier
from hub.reports.indicator_breakdowns import BREAKDOWNS, KAZAKHSTAN, NOT_RECORDED, Context, nationality
from hub.reports.indicator_counts import COUNTERS, RECORD_COUNTERS, Period, Unit
from hub.reports.suppression import suppressed
from hub.yaml_data import load_yaml

TOTAL, CHILDREN = "total", "children"


def _separated_or_unaccompanied(dossier: Dossier, unit: Unit) -> bool:
    concern = unit.referral.content.concern.category if unit.referral is not None else None
    return bool(dossier.child.categories & WITHOUT_PARENTAL_CARE) or concern in (
        ConcernCategory.UNACCOMPANIED, ConcernCategory.SEPARATED,
    )


def _foreign_separated_or_unaccompanied(dossier: Dossier, unit: Unit) -> bool:
    origin = nationality(dossier, unit, Context({}, ()))
    return _separated_or_unaccompanied(dossier, unit) and origin not in (KAZAKHSTAN, NOT_RECORDED)


ONLY = {
    "separated_or_unaccompanied": _separated_or_unaccompanied,
    "foreign_separated_or_unaccompanied": _foreign_separated_or_unaccompanied,
}


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    source: str
    counts: str
    only: str | None
    breakdown: tuple[str, ...]
    to: tuple[str, ...] | None = None  # kinds of body that receive it; None: every recipient of counts

    @property
    def about_children(self) -> bool:
        """Counted per child (suppressed below the minimum cell), or per record about no child (a visit)."""
        return self.counts in COUNTERS


@dataclass(frozen=True)
class Spec:
    indicators: tuple[Indicator, ...]
    age_bands: tuple[int, ...]

    def for_kind(self, kind: str) -> Spec:
        """The indicators a kind of body receives."""
        return Spec(tuple(i for i in self.indicators if i.to is None or kind in i.to), self.age_bands)


@dataclass(frozen=True)
class Cell:
    indicator: str
    title: str
    breakdown: str  # "total", "children", or a breakdown's name
    label: str  # the breakdown's label; "" for the total and the children
    count: int | None  # None: suppressed


def parse_spec(text: str) -> Spec:
    """The indicators file, checked: an unknown unit, filter or breakdown is an error, not a silent zero."""
    data = load_yaml(text)
    standard = tuple(data["standard"])
    indicators = []
    for entry in data["indicators"]:
        about_children = entry["counts"] not in RECORD_COUNTERS
        indicator = Indicator(
            str(entry["id"]), entry["title"], entry["source"], entry["counts"], entry.get("only"),
            tuple(entry.get("breakdown", [])) + (standard if about_children else ()),
            tuple(entry["to"]) if "to" in entry else None,
        )
        unknown = (
            ({indicator.counts} - COUNTERS.keys() - RECORD_COUNTERS.keys()) | ({indicator.only} - ONLY.keys() - {None})
            | (set(indicator.breakdown) - BREAKDOWNS.keys())
        )
        if unknown:
            raise ValueError(f"indicator {indicator.id}: unknown {sorted(map(str, unknown))}")
        indicators.append(indicator)
    return Spec(tuple(indicators), tuple(data["age_bands"]))


@cache
def packaged_spec() -> Spec:
    return parse_spec(resources.files("hub.policy").joinpath("indicators.yaml").read_text(encoding="utf-8"))


def indicator_cells(
    spec: Spec, dossiers: Iterable[Dossier], agencies: dict[str, AgencyRef], period: Period, floor: int,
    records: Iterable[object] = (),
) -> list[Cell]:
    """``records``: the log's records about no child that some indicators count (monitoring visits)."""
    dossiers, records = list(dossiers), list(records)
    context = Context(agencies, spec.age_bands)
    cells: list[Cell] = []
    for indicator in spec.indicators:
        if not indicator.about_children:
            cells += _record_cells(indicator, RECORD_COUNTERS[indicator.counts](records, period, agencies), context)
            continue
        counter, only = COUNTERS[indicator.counts], ONLY.get(indicator.only or "")
        units = [
            (dossier, unit) for dossier in dossiers for unit in counter(dossier, period, agencies)
            if only is None or only(dossier, unit)
        ]
        cells += _cells(indicator, units, context, floor)
    return cells


def _record_cells(indicator: Indicator, units: Sequence[Unit], context: Context) -> list[Cell]:
    """Counts of records about no child: no child can be singled out by them, so none is suppressed (0040)."""
    cells = [Cell(indicator.id, indicator.title, TOTAL, "", len(units))]
    for name in indicator.breakdown:
        counts = Counter(BREAKDOWNS[name](None, unit, context) for unit in units)  # type: ignore[arg-type]
        cells += [Cell(indicator.id, indicator.title, name, label, counts[label]) for label in sorted(counts)]
    return cells


def _cells(indicator: Indicator, units: Sequence[tuple[Dossier, Unit]], context: Context, floor: int) -> list[Cell]:
    total = len(units)
    children = len({d.child_id for d, _ in units})
    if 0 < total < floor:
        # Too few to break down at all: even the total is a small cell.
        return [Cell(indicator.id, indicator.title, TOTAL, "", None)]
    cells = [
        Cell(indicator.id, indicator.title, TOTAL, "", total),
        Cell(indicator.id, indicator.title, CHILDREN, "", children if children == 0 or children >= floor else None),
    ]
    for name in indicator.breakdown:
        breakdown = BREAKDOWNS[name]
        counts = Counter(breakdown(dossier, unit, context) for dossier, unit in units)
        shown = suppressed(dict(counts), floor)
        cells += [Cell(indicator.id, indicator.title, name, label, shown[label]) for label in sorted(shown)]
    return cells


@dataclass(frozen=True)
class IndicatorReport:
    generated_at: datetime
    as_of: datetime  # the log was replayed up to this moment
    period: Period
    minimum_cell: int
    events_replayed: int
    children_erased: int  # not counted: their data no longer reads (decision 0020)
    cells: list[Cell]
