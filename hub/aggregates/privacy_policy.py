"""The adoption of a privacy policy version: an event, so replay knows which policy was in force when."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate

POLICY_ID = UUID("5b0e7a51-1f0c-4c55-9d43-6a2f8c3e4d21")


class PolicyState(StrEnum):
    IN_FORCE = "in_force"


class PrivacyPolicy(HubAggregate):
    kind = "privacy policy"

    @event("Adopted")
    def __init__(self, id: UUID, actor: Actor, version: int, digest: str, text: str) -> None:
        self.state = PolicyState.IN_FORCE
        self._set(version, digest, text)

    def _set(self, version: int, digest: str, text: str) -> None:
        self.policy_version = version
        self.digest = digest
        self.text = text

    def adopt(self, actor: Actor, version: int, digest: str, text: str) -> None:
        if digest == self.digest:
            return
        self._readopted(actor=actor, version=version, digest=digest, text=text)

    @event("Changed")
    def _readopted(self, actor: Actor, version: int, digest: str, text: str) -> None:
        self._set(version, digest, text)
