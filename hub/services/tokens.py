"""Bearer tokens: issued to one user of one agency in one role, for a limited time; checked on every request,
listed and revoked (docs/decisions/0027)."""

from __future__ import annotations

import secrets
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.api_token import ApiToken, token_id_for
from hub.errors import InvalidInput, NotFound
from hub.permissions import roles_of
from hub.services.aggregates import Aggregates
from hub.services.conflicts import retry_on_conflict
from hub.services.directory import Agency, DirectoryService
from hub.services.token_cache import TokenCache
from hub.services.token_lifetime import TokenLifetime
from hub.services.token_listing import TokenSummary, issued_tokens, summary

TOKEN_PREFIX = "hub_"


class TokenService:
    def __init__(self, aggregates: Aggregates, directory: DirectoryService, lifetime: TokenLifetime) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self.lifetime = lifetime
        self.cache = TokenCache(aggregates, directory, lifetime)

    def issue_token(self, actor: Actor, holder: Actor, days: int | None = None) -> str:
        """A new token's secret, shown this once; ``days`` of validity (None: the default)."""
        self.check_holder(holder)
        expires_at = self.lifetime.expiry(clock.now(), days)
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.aggregates.save(ApiToken(id=token_id_for(secret), actor=actor, holder=holder, expires_at=expires_at))
        return secret

    def check_holder(self, holder: Actor) -> None:
        """A registered agency, a role its kind has, and a user named."""
        agency = self.directory.agency(holder.agency, field="agency")
        if holder.role not in roles_of(agency.kind):
            raise InvalidInput(
                "role", "an agency of kind %(kind)s has no role %(role)r; roles: %(roles)s",
                values={"kind": agency.kind, "role": holder.role, "roles": roles_of(agency.kind)}
            )
        if not holder.user.strip():
            raise InvalidInput("user", "name the user the token is for")

    def authenticate(self, secret: str) -> tuple[Actor, Agency] | None:
        """The holder of a valid token, or None; the caller must not learn which check failed."""
        if not secret.startswith(TOKEN_PREFIX):
            return None
        return self.holder_of(token_id_for(secret))

    def holder_of(self, token_id: UUID) -> tuple[Actor, Agency] | None:
        """The holder of the token with this id while it is valid (a session keeps the id, never the secret)."""
        held = self.cache.current(token_id)
        if held is None or not held.valid(clock.now()):
            return None
        return held.holder, held.agency

    def tokens(self, within: str | None = None) -> list[TokenSummary]:
        """Every token issued, or only those of the agency ``within``; newest first."""
        now = clock.now()
        found = [
            summary(token, self.lifetime, now)
            for token in issued_tokens(self.aggregates.store)
            if within is None or token.holder.agency == within
        ]
        return sorted(found, key=lambda t: (t.issued_at, str(t.id)), reverse=True)

    def token(self, token_id: UUID, within: str | None = None) -> TokenSummary:
        return summary(self._token(token_id, within), self.lifetime, clock.now())

    @retry_on_conflict
    def revoke(self, actor: Actor, token_id: UUID, reason: str, within: str | None = None) -> TokenSummary:
        """Ends the token for good, in every process from its next request on."""
        if not reason.strip():
            raise InvalidInput("reason", "say why the token is revoked (a leaver, a lost laptop, ...)")
        token = self._token(token_id, within)
        token.revoke(actor, reason.strip())
        self.aggregates.save(token)
        return summary(token, self.lifetime, clock.now())

    def _token(self, token_id: UUID, within: str | None) -> ApiToken:
        """The token; one of another agency than ``within`` is not found, as one that does not exist."""
        token = self.aggregates.find(token_id)
        if not isinstance(token, ApiToken) or (within is not None and token.holder.agency != within):
            raise NotFound(f"no token {token_id}")
        return token
