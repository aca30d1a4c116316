"""The tokens a process has seen, each checked against the store with one indexed read per use.

Authenticating used to load the token's stream and decode it on every request.
Now a process keeps what it needs of each token it has seen (holder, agency,
expiry, the version it read) and asks the store one question per request: has
the token's stream any event after that version? A revocation recorded by any
process is therefore refused on the very next request in every process, at the
cost of one single-statement read by primary key (docs/decisions/0027). A token
that can never be valid again (revoked, or expired) is answered from memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.api_token import ApiToken, TokenState
from hub.services.aggregates import Aggregates
from hub.services.directory import Agency, DirectoryService
from hub.services.token_lifetime import TokenLifetime


@dataclass(frozen=True)
class HeldToken:
    id: UUID
    holder: Actor
    agency: Agency  # an agency's kind never changes: kept with the token
    expires_at: datetime
    version: int
    revoked: bool

    def valid(self, at: datetime) -> bool:
        return not self.revoked and at < self.expires_at

    def final(self, at: datetime) -> bool:
        """Nothing the store records later can make the token valid again."""
        return not self.valid(at)


class TokenCache:
    def __init__(self, aggregates: Aggregates, directory: DirectoryService, lifetime: TokenLifetime) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self.lifetime = lifetime
        # Bounded by the tokens ever issued: an entry is made only for a token the store holds. Entries are
        # replaced, never changed, so the threads of a process share them without a lock.
        self._held: dict[UUID, HeldToken] = {}

    def current(self, token_id: UUID) -> HeldToken | None:
        """The token as the store holds it now; None if there is no such token."""
        held = self._held.get(token_id)
        if held is not None and (held.final(clock.now()) or not self.aggregates.changed_since(token_id, held.version)):
            return held
        return self._load(token_id)

    def _load(self, token_id: UUID) -> HeldToken | None:
        token = self.aggregates.find(token_id)
        if not isinstance(token, ApiToken):
            return None
        agency = self.directory.find_agency(token.holder.agency)
        if agency is None:
            return None
        held = HeldToken(
            id=token.id,
            holder=token.holder,
            agency=agency,
            expires_at=self.lifetime.expires_at(token.created_on, token.expires_at),
            version=token.version,
            revoked=token.state == TokenState.REVOKED,
        )
        self._held[token_id] = held
        return held
