"""The public keys an agency's systems sign their Kafka messages with (docs/decisions/0027).

One aggregate per agency, apart from the directory: a key added or revoked
changes nothing the views are built from. Several keys may be active at once,
so an agency rotates by adding the new key, moving its senders, then revoking
the old one. The hub keeps public keys only.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.errors import GuardViolation, IllegalTransition, NotFound

_KEYS_NAMESPACE = UUID("5c0f7b8e-3d2a-4e61-9b47-0a8e6d2c1f93")


class KeysState(StrEnum):
    ACTIVE = "active"


class KeyState(StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"


def agency_keys_id(agency: str) -> UUID:
    return uuid5(_KEYS_NAMESPACE, agency)


class AgencyKeys(HubAggregate):
    kind = "agency keys"

    @event("Started")
    def __init__(self, id: UUID, actor: Actor, agency: str) -> None:
        self.agency = agency
        self.state = KeysState.ACTIVE
        self.keys: dict[str, dict[str, Any]] = {}  # key id -> public_key (raw, base64), state, added_at, revoked_at

    def add(self, actor: Actor, key_id: str, public_key: str) -> None:
        if key_id in self.keys:
            raise GuardViolation("key-exists", "%(agency)s already has the key %(key_id)s",
                                 values={"agency": self.agency, "key_id": key_id}, field="public_key",
                                 status=409)
        self._added(actor=actor, key_id=key_id, public_key=public_key)

    @event("KeyAdded")
    def _added(self, actor: Actor, key_id: str, public_key: str) -> None:
        self.keys[key_id] = {"public_key": public_key, "state": KeyState.ACTIVE, "added_at": self.modified_on,
                             "revoked_at": None}

    def revoke(self, actor: Actor, key_id: str, reason: str) -> None:
        key = self.keys.get(key_id)
        if key is None:
            raise NotFound(f"{self.agency} has no key {key_id}")
        if key["state"] != KeyState.ACTIVE:
            raise IllegalTransition("signing key", str(key["state"]), "revoke")
        self._revoked(actor=actor, key_id=key_id, reason=reason)

    @event("KeyRevoked")
    def _revoked(self, actor: Actor, key_id: str, reason: str) -> None:
        self.keys[key_id] = {**self.keys[key_id], "state": KeyState.REVOKED, "revoked_at": self.modified_on}

    def active_key(self, key_id: str) -> str | None:
        """The public key (raw, base64) with this id while it is active."""
        key = self.keys.get(key_id)
        return key["public_key"] if key is not None and key["state"] == KeyState.ACTIVE else None
