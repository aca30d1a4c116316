"""A bearer token issued to one user of one agency in one role.

Only a hash of the secret is stored; the aggregate id derives from that hash,
so a request is authenticated by one read of one stream. Revoking is final:
a revoked token is never valid again (docs/decisions/0027).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid5

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate

_TOKEN_NAMESPACE = UUID("a3e5d0b4-2f61-4f3b-8d7e-91c2b4f6e8a7")


class TokenState(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


def token_id_for(secret: str) -> UUID:
    return uuid5(_TOKEN_NAMESPACE, hashlib.sha256(secret.encode()).hexdigest())


class ApiToken(HubAggregate):
    kind = "token"

    @event("Issued")
    def __init__(self, id: UUID, actor: Actor, holder: Actor, expires_at: datetime | None) -> None:
        # ``expires_at`` is None only on tokens issued before every token had to expire: those are
        # held to the longest lifetime the hub now issues (hub/services/token_lifetime.py).
        self.holder = holder
        self.expires_at = expires_at
        self.state = TokenState.ACTIVE
        self.revoked_at: datetime | None = None

    def revoke(self, actor: Actor, reason: str) -> None:
        self.require_state("revoke", [TokenState.ACTIVE])
        self._revoked(actor=actor, reason=reason)

    @event("Revoked")
    def _revoked(self, actor: Actor, reason: str) -> None:
        self.state = TokenState.REVOKED
        self.revoked_at = self.modified_on
