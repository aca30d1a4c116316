"""Chooses the body that receives a referral, from the rules in ``policy/routing.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from hub.aggregates.vocabulary import BodyKind, City


@dataclass(frozen=True)
class Route:
    kind: BodyKind
    rule: str
    reason: str


@cache
def _rules() -> dict[str, Any]:
    return yaml.safe_load(resources.files("hub.policy").joinpath("routing.yaml").read_text(encoding="utf-8"))


def _matches(condition: dict[str, Any], age: int | None) -> bool:
    below = condition.get("age_below")
    return below is None or (age is not None and age < below)


def route(city: City, age: int | None) -> Route | None:
    """The route for a child of this age in this city, or None where no body is competent."""
    policy = _rules()
    for rule in policy["rules"]:
        if not _matches(rule["when"], age):
            continue
        target = rule["route_to"]
        if target == "case_managing_body":
            target = policy["case_managing_body_by_city"].get(str(city))
            if target is None:
                return None
        return Route(BodyKind(target), rule["id"], rule["reason"])
    return None
