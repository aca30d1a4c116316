"""A place in a message: a unit's KATO code, or a city value of earlier versions, stored as the code."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from hub.geography.units import geography


def to_code(value: object) -> str:
    unit = geography().find(value) if isinstance(value, str) else None
    if unit is None:
        raise ValueError(
            f"unknown place {value!r}: give the KATO code of a region, city or district (GET /v1/places)"
        )
    return unit.code


Place = Annotated[
    str,
    BeforeValidator(to_code),
    Field(
        description="where: the KATO code of a region, city or district (GET /v1/places); the names of "
        "earlier versions (almaty, shymkent, turkestan_oblast, astana, other) are still accepted",
        examples=["750000000"],
    ),
]
