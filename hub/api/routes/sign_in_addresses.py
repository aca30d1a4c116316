"""/v1/sign-in-addresses: the address a person signs in to the pages with, by a one-time link or code
(docs/decisions/0048); registered by the hub's operators, or by an agency's head for its own staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from hub.actor import Actor
from hub.api.auth import Caller, permitted
from hub.api.deps import SignInLinks
from hub.api.problems import problem_responses
from hub.text import Code, Line

router = APIRouter(prefix="/v1/sign-in-addresses", tags=["tokens"])


class Registration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    address: Annotated[str, Line(254)] = Field(..., description="the person's own work e-mail address")
    agency: Annotated[str, Code(64)]
    role: Annotated[str, Code(64)]
    user: Annotated[str, Line(200)]


class Removal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    address: Annotated[str, Line(254)]


@router.put("", status_code=204, response_class=Response, responses=problem_responses(400, 401, 403, 404, 413, 422))
def register(
    body: Registration, caller: Annotated[Caller, Depends(permitted("user.register_address"))], links: SignInLinks
) -> Response:
    """Registers (or moves to another role) the address a person is sent sign-in links at."""
    links.register(caller.actor, body.address, Actor(body.agency, body.role, body.user))
    return Response(status_code=204)


@router.post("/remove", status_code=204, response_class=Response,
             responses=problem_responses(400, 401, 403, 404, 409, 413, 422))
def remove(
    body: Removal, caller: Annotated[Caller, Depends(permitted("user.register_address"))], links: SignInLinks
) -> Response:
    """No more links are sent to the address; a link sent before no longer signs in."""
    links.remove(caller.actor, body.address)
    return Response(status_code=204)
