"""Bearer tokens: issued to one user of one agency in one role, and checked on every request."""

from __future__ import annotations

import secrets
from datetime import datetime

from hub import clock
from hub.actor import Actor
from hub.aggregates.api_token import ApiToken, token_id_for
from hub.errors import InvalidInput
from hub.permissions import roles_of
from hub.services.aggregates import Aggregates
from hub.services.directory import Agency, DirectoryService

TOKEN_PREFIX = "hub_"


class TokenService:
    def __init__(self, aggregates: Aggregates, directory: DirectoryService) -> None:
        self.aggregates = aggregates
        self.directory = directory

    def issue_token(self, actor: Actor, holder: Actor, expires_at: datetime | None) -> str:
        agency = self.directory.agency(holder.agency, field="agency")
        if holder.role not in roles_of(agency.kind):
            raise InvalidInput(
                "role", f"an agency of kind {agency.kind} has no role {holder.role!r}; roles: {roles_of(agency.kind)}"
            )
        if not holder.user.strip():
            raise InvalidInput("user", "name the user the token is for")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.aggregates.save(ApiToken(id=token_id_for(secret), actor=actor, holder=holder, expires_at=expires_at))
        return secret

    def authenticate(self, secret: str) -> tuple[Actor, Agency] | None:
        """The holder of a valid token, or None; the caller must not learn which check failed."""
        if not secret.startswith(TOKEN_PREFIX):
            return None
        token = self.aggregates.find(token_id_for(secret))
        if not isinstance(token, ApiToken) or not token.is_valid(clock.now()):
            return None
        agency = self.directory.find_agency(token.holder.agency)
        if agency is None:
            return None
        return token.holder, agency
