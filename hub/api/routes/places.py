"""/v1/places: the administrative units a child may be in and an agency may work in (decision 0026)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from hub.api.auth import Caller, permitted
from hub.api.problems import problem_responses
from hub.errors import NotFound
from hub.geography.units import LANGUAGES, Language, geography

router = APIRouter(prefix="/v1/places", tags=["places"])


class PlaceView(BaseModel):
    code: str = Field(..., description="KATO code, or KZ for the country")
    kind: str = Field(..., description="country, region, city_of_republican_significance, "
                      "city_of_regional_significance or district")
    parent: str | None
    name: str = Field(..., description="in the language asked for")
    names: dict[Language, str]


def _view(code: str, lang: Language) -> PlaceView:
    unit = geography().units[code]
    return PlaceView(code=unit.code, kind=unit.kind, parent=unit.parent, name=unit.name(lang),
                     names={language: unit.names[language] for language in LANGUAGES})


@router.get("", response_model=list[PlaceView], responses=problem_responses(401, 403, 404, 422))
def list_places(
    caller: Annotated[Caller, Depends(permitted("place.list"))],
    lang: Language = Query("ru", description="the language of name"),
    parent: str | None = Query(None, max_length=16, description="only the units directly under this one"),
) -> list[PlaceView]:
    """Every unit, or those directly under ``parent`` (KZ: the regions and the cities of republican significance)."""
    places = geography()
    if parent is not None and parent not in places.units:
        raise NotFound(f"no place {parent}")
    codes = [u.code for u in places.children(parent)] if parent is not None else list(places.units)
    return [_view(code, lang) for code in codes]


@router.get("/{code}", response_model=PlaceView, responses=problem_responses(401, 403, 404, 422))
def read_place(
    code: str, caller: Annotated[Caller, Depends(permitted("place.list"))],
    lang: Language = Query("ru", description="the language of name"),
) -> PlaceView:
    """One unit; a city name of earlier versions (almaty...) answers with its unit."""
    unit = geography().find(code)
    if unit is None:
        raise NotFound(f"no place {code}")
    return _view(unit.code, lang)
