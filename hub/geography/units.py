"""Reads ``hub/geography/units.yaml``: the country, its regions, cities and districts, by KATO code.

A place is always a unit's code; the city values of earlier versions are names for units
(the file's ``legacy``), so that what was stored then still means a place now.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from hub.yaml_data import load_yaml

COUNTRY = "KZ"
Language = Literal["kk", "ru", "en"]
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")


@dataclass(frozen=True)
class Unit:
    code: str
    kind: str
    parent: str | None  # None for the country
    names: dict[str, str]

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]


class Geography:
    def __init__(self, units: list[Unit], legacy: dict[str, str]) -> None:
        self.units = {u.code: u for u in units}
        self.legacy = legacy
        for unit in units:
            if unit.parent is not None and unit.parent not in self.units:
                raise ValueError(f"units.yaml: {unit.code}'s parent {unit.parent} is not a unit")
        unknown = {name: code for name, code in legacy.items() if code not in self.units}
        if unknown:
            raise ValueError(f"units.yaml: legacy names for no unit: {unknown}")

    def find(self, value: str) -> Unit | None:
        """The unit of a code, or of a city value of earlier versions."""
        return self.units.get(self.legacy.get(value, value))

    def chain(self, code: str) -> list[Unit]:
        """The unit and every unit above it, nearest first: district, region, country."""
        found, unit = [], self.units.get(code)
        while unit is not None:
            found.append(unit)
            unit = self.units.get(unit.parent) if unit.parent else None
        return found

    def contains(self, outer: str, inner: str) -> bool:
        """Whether ``inner`` is ``outer`` or lies within it."""
        return any(u.code == outer for u in self.chain(inner))

    def region_of(self, code: str) -> str | None:
        """The region or city of republican significance a unit lies in (itself if it is one)."""
        chain = self.chain(code)
        return chain[-2].code if len(chain) >= 2 else None

    def children(self, code: str) -> list[Unit]:
        return [u for u in self.units.values() if u.parent == code]


def legacy_code(value: object) -> object:
    """A city value of earlier versions as its unit's code; anything else as it is (for upcasters)."""
    return geography().legacy.get(value, value) if isinstance(value, str) else value


def _unit(record: dict, parent: str | None) -> Unit:
    return Unit(str(record["code"]), record["kind"], parent, {lang: record[lang] for lang in LANGUAGES})


@cache
def geography() -> Geography:
    data = load_yaml(resources.files("hub.geography").joinpath("units.yaml").read_text(encoding="utf-8"))
    units = [_unit(data["country"], None)] + [_unit(u, str(u["parent"])) for u in data["units"]]
    return Geography(units, {name: str(code) for name, code in data["legacy"].items()})
