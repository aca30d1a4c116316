"""Authentication (bearer tokens) and the gates that decide who may call a route, as FastAPI dependencies.

Every request's token is checked against the store, so one revoked in any
process is refused on its next request (hub/services/token_cache.py, docs/decisions/0027).
A gate is data as well as a check: ``allows(kind, role, policy)`` says whom it
lets through without a request, so the authorization matrix
(hub/api/authorization_matrix.py) is generated from the very objects the
routes depend on.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from hub.actor import Actor
from hub.aggregates.api_token import token_id_for
from hub.aggregates.vocabulary import BodyKind
from hub.api.deps import Tokens
from hub.errors import Forbidden, Unauthenticated
from hub.permissions import may
from hub.privacy.policy_file import PolicyFile
from hub.services.directory import Agency

_bearer = HTTPBearer(auto_error=False, description="A token issued with `hub tokens issue`")


@dataclass(frozen=True)
class Caller:
    actor: Actor
    agency: Agency
    token_id: UUID | None = None  # the token the request was made with: what a refused request is recorded by


def authenticated(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    tokens: Tokens,
) -> Caller:
    request.state.caller = None  # tried: a refusal is then recorded without authenticating twice
    if credentials is None:
        raise Unauthenticated("this endpoint needs an Authorization: Bearer token")
    found = tokens.authenticate(credentials.credentials)
    if found is None:
        # One answer for unknown, expired and revoked tokens: a caller probing
        # tokens learns nothing about which exist.
        raise Unauthenticated("the bearer token is not valid")
    actor, agency = found
    request.state.caller = Caller(actor, agency, token_id_for(credentials.credentials))
    return request.state.caller


class Gate(ABC):
    """A condition on who may call a route, decided by the caller's kind of body and role."""

    @abstractmethod
    def allows(self, kind: BodyKind, role: str, policy: PolicyFile) -> bool:
        """Whether a caller of this kind and role passes, under this privacy policy."""

    @abstractmethod
    def describe(self) -> str:
        """The rule, named as the policy names it."""


@dataclass(frozen=True)
class Permission(Gate):
    """Lets through only roles that policy/commands.yaml allows to run ``command``."""

    command: str

    def allows(self, kind: BodyKind, role: str, policy: PolicyFile) -> bool:
        return may(kind, role, self.command)

    def describe(self) -> str:
        return self.command

    async def __call__(self, caller: Annotated[Caller, Depends(authenticated)]) -> Caller:
        # async: a lookup in the policy, cheaper than the hop to the thread pool a sync dependency makes
        if not may(caller.agency.kind, caller.actor.role, self.command):
            raise Forbidden(
                f"a {caller.actor.role} of a {caller.agency.kind} may not {self.command}", command=self.command
            )
        return caller


def permitted(command: str) -> Permission:
    return Permission(command)
