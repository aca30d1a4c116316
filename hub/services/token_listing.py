"""Every token the hub has issued, read from the log: who holds it, when it expires, whether it still works.

Tokens are listed rarely (an operator, an agency's head looking for a leaver's
token), so the list is read from the log's token events on demand, filtered by
topic, rather than kept in a table of its own: the log is the only record, and
tokens issued before this listing existed are on it too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from hub.aggregates.api_token import ApiToken
from hub.aggregates.base import event_topic
from hub.application import HubApplication
from hub.services.token_lifetime import TokenLifetime

BATCH = 500
_ISSUED, _REVOKED = event_topic(ApiToken, "Issued"), event_topic(ApiToken, "Revoked")


class TokenStanding(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class TokenSummary:
    """What may be shown of a token: never its secret, which the hub does not keep."""

    id: UUID
    agency: str
    role: str
    user: str
    issued_at: datetime
    expires_at: datetime
    state: TokenStanding
    revoked_at: datetime | None


def summary(token: ApiToken, lifetime: TokenLifetime, now: datetime) -> TokenSummary:
    expires_at = lifetime.expires_at(token.created_on, token.expires_at)
    state = (
        TokenStanding.REVOKED if token.revoked_at is not None
        else TokenStanding.EXPIRED if now >= expires_at
        else TokenStanding.ACTIVE
    )
    holder = token.holder
    return TokenSummary(token.id, holder.agency, holder.role, holder.user, token.created_on, expires_at, state,
                        token.revoked_at)


def issued_tokens(store: HubApplication) -> Iterator[ApiToken]:
    """Every token as it stands now, folded from its events in the order they were recorded."""
    tokens: dict[UUID, Any] = {}
    position = 0
    while batch := store.recorder.select_notifications(position + 1, BATCH, topics=[_ISSUED, _REVOKED]):
        for notification in batch:
            event = store.mapper.to_domain_event(notification)
            tokens[event.originator_id] = event.mutate(tokens.get(event.originator_id))
        position = batch[-1].id
    yield from tokens.values()
