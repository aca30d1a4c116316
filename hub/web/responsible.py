"""Who a plan's item may name as responsible, as the form's choice: the bodies registered in the managing centre's
region, by name, then the family by role (docs/decisions/0052). The API takes any registered body's code."""

from __future__ import annotations

from collections.abc import Callable

from hub.aggregates.case_plan import PlanRole
from hub.geography.units import geography
from hub.services.directory import DirectoryService
from hub.web import words


def responsible_choices(directory: DirectoryService, centre: str, say: Callable[[str], str]) -> list[tuple[str, str]]:
    region = geography().region_of(directory.agency(centre).unit)
    bodies = sorted((a.name, a.code) for a in directory.agencies() if geography().region_of(a.unit) == region)
    return [(code, name) for name, code in bodies] + [(str(r), say(words.option_name(str(r)))) for r in PlanRole]
