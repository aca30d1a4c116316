"""Authentication (bearer tokens) and role checks, as FastAPI dependencies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hub.actor import Actor
from hub.application import HubApplication
from hub.errors import Forbidden, Unauthenticated
from hub.permissions import may
from hub.services.directory import Agency

_bearer = HTTPBearer(auto_error=False, description="A token issued with `hub tokens issue`")


@dataclass(frozen=True)
class Caller:
    actor: Actor
    agency: Agency


def hub_app(request: Request) -> HubApplication:
    return request.app.state.hub


def authenticated(
    credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
    hub: HubApplication = Depends(hub_app),
) -> Caller:
    if credentials is None:
        raise Unauthenticated("this endpoint needs an Authorization: Bearer token")
    found = hub.authenticate(credentials.credentials)
    if found is None:
        # One answer for unknown, expired and revoked tokens: a caller probing
        # tokens learns nothing about which exist.
        raise Unauthenticated("the bearer token is not valid")
    actor, agency = found
    return Caller(actor, agency)


def permitted(command: str) -> Callable[[Caller], Caller]:
    """A dependency that lets through only roles that policy/commands.yaml allows."""

    def check(caller: Caller = Depends(authenticated)) -> Caller:
        if not may(caller.agency.kind, caller.actor.role, command):
            raise Forbidden(
                f"a {caller.actor.role} of a {caller.agency.kind} may not {command}", command=command
            )
        return caller

    return check
