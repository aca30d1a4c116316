"""Reads ``policy/routing.yaml``: which kind of body receives a referral.

The interpreter decides kinds of body from the facts of a referral; the
referral service turns kinds into the registered agencies nearest the child's
place, walking up its units (docs/decisions/0007, 0011, 0026). Which other bodies are told, and by when, is
hub/policy/notices.yaml's (docs/decisions/0025).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from hub.aggregates.vocabulary import BodyKind, ConcernCategory
from hub.geography.units import geography
from hub.yaml_data import load_yaml

NO_ROUTE = "no-route"


@dataclass(frozen=True)
class Facts:
    """What routing may look at: nothing else about the child or the concern."""

    place: str  # a unit's code (hub/geography/units.yaml)
    age: int | None
    concern: ConcernCategory
    emergency: bool = False
    without_parental_care: bool = False
    referrer: BodyKind | None = None


@dataclass(frozen=True)
class Route:
    kind: BodyKind | None  # None: no kind of body is competent for this place; the reason says why
    rule: str
    reason: str


_CONDITIONS: dict[str, Callable[[Any, Facts], bool]] = {
    "age_below": lambda limit, f: f.age is not None and f.age < limit,
    "concern": lambda categories, f: str(f.concern) in categories,
    "emergency": lambda wanted, f: f.emergency is wanted,
    "without_parental_care": lambda wanted, f: f.without_parental_care is wanted,
    "referrer": lambda kinds, f: f.referrer is not None and str(f.referrer) in kinds,
}


@cache
def _policy() -> dict[str, Any]:
    policy = load_yaml(resources.files("hub.policy").joinpath("routing.yaml").read_text(encoding="utf-8"))
    for rule in policy["rules"]:
        unknown = set(rule["when"]) - set(_CONDITIONS)
        if unknown:
            raise ValueError(f"routing.yaml: rule {rule['id']} has unknown conditions {sorted(unknown)}")
    for table in ("case_managing_body_by_unit", "no_route_by_unit"):
        unknown = {str(code) for code in policy.get(table) or {}} - set(geography().units)
        if unknown:
            raise ValueError(f"routing.yaml: {table} names no unit of hub/geography/units.yaml: {sorted(unknown)}")
    return policy


def _holds(rule: dict[str, Any], facts: Facts) -> bool:
    return all(_CONDITIONS[name](value, facts) for name, value in rule["when"].items())


def _nearest(table: str, place: str) -> str | None:
    """The entry of a per-unit table for the nearest unit listed on the way up from the place."""
    entries = _policy().get(table) or {}
    return next((entries[u.code] for u in geography().chain(place) if u.code in entries), None)


def no_route(place: str) -> Route | None:
    """Routing stopped where the data says no body of the hub is competent, with the data's reason."""
    reason = _nearest("no_route_by_unit", place)
    return Route(None, NO_ROUTE, reason) if reason else None


def case_managing_body(place: str) -> BodyKind | None:
    kind = _nearest("case_managing_body_by_unit", place)
    return BodyKind(kind) if kind else None


def _kind(target: str, place: str) -> BodyKind | None:
    return case_managing_body(place) if target == "case_managing_body" else BodyKind(target)


def route(facts: Facts) -> Route | None:
    """The receiving kind of body chosen by the first rule that holds; None if none holds."""
    stopped = no_route(facts.place)
    if stopped is not None:
        return stopped
    for rule in _policy()["rules"]:
        if _holds(rule, facts):
            return Route(_kind(rule["route_to"], facts.place), rule["id"], rule["reason"])
    return None


def named_route(kind: BodyKind) -> Route:
    named = _policy()["named"]
    return Route(kind, named["id"], named["reason"])


def accused_body_route() -> Route:
    """The route of a referral whose competent body is the one whose staff it accuses (decision 0035)."""
    accused = _policy()["accused_body"]
    return Route(BodyKind(accused["route_to"]), accused["id"], accused["reason"])


def allegation_investigator(employer: BodyKind) -> BodyKind:
    """The kind of body that investigates an allegation against the staff of this kind of body."""
    investigators = _policy()["allegation_investigator"]
    return BodyKind(investigators.get(str(employer), investigators["default"]))
