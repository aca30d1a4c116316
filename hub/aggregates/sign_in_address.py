"""A person's registered e-mail address, to which the hub sends a one-time sign-in link and code.

Registered by the hub's operators or by the head of the person's own agency (commands.yaml
``user.register_address``); the id derives from the address, so a sign-in request finds it by one read of
one stream. Every link sent and every sign-in by one is an event of it (docs/decisions/0048).
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID, uuid5

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate

_ADDRESS_NAMESPACE = UUID("5c0f3b52-8f7e-4d8a-9a57-0e2b6c1f4d93")


class AddressState(StrEnum):
    REGISTERED = "registered"
    REMOVED = "removed"


def normalised(address: str) -> str:
    return address.strip().lower()


def address_id_for(address: str) -> UUID:
    return uuid5(_ADDRESS_NAMESPACE, normalised(address))


class SignInAddress(HubAggregate):
    kind = "sign_in_address"
    id: UUID  # address_id_for(address)

    @event("Registered")
    def __init__(self, id: UUID, actor: Actor, address: str, holder: Actor) -> None:
        self.address = normalised(address)
        self.holder = holder
        self.state = AddressState.REGISTERED

    def register_again(self, actor: Actor, holder: Actor) -> None:
        self._registered_again(actor=actor, holder=holder)

    @event("RegisteredAgain")
    def _registered_again(self, actor: Actor, holder: Actor) -> None:
        self.holder = holder  # another role, or the address back after it was removed
        self.state = AddressState.REGISTERED

    def remove(self, actor: Actor) -> None:
        self.require_state("remove", [AddressState.REGISTERED])
        self._removed(actor=actor)

    @event("Removed")
    def _removed(self, actor: Actor) -> None:
        self.state = AddressState.REMOVED

    @event("LinkSent")
    def link_sent(self, actor: Actor) -> None:
        """A link and a code were sent to the address (``actor``: the hub, for the person who asked)."""

    @event("SignedIn")
    def signed_in(self, actor: Actor, by: str) -> None:
        """The person signed in with the link or the code (``by``); a session began."""
