"""A family link between two children's records: one side of it, bound to one of them (docs/decisions/0041).

A link is kept as two sides, each a record of its own child: sealed with that child's key and erased
with it, so that erasing one child leaves the other's side unreadable as a link (its other child is
gone) and reveals nothing of the erased one. Who may see a link is privacy.yaml's ``family_link``
grants, judged on each side's own dossier: a body sees the link only where it is shown both sides
(hub/services/family.py).
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate


class Relation(StrEnum):
    SIBLING = "sibling"
    HALF_SIBLING = "half_sibling"
    MOTHER_INFANT = "mother_infant"  # the mother may herself be a child (ngo-services-manual L1093; Dana, vse §3.4)
    HOUSEHOLD = "household"  # another member of the same household


class Side(StrEnum):
    """What the other child is to this one: the link is the same from both sides except for mother and infant."""

    RELATIVE = "relative"
    MOTHER = "mother"
    INFANT = "infant"


class LinkState(StrEnum):
    LINKED = "linked"
    REMOVED = "removed"


class FamilyLink(HubAggregate):
    kind = "family link"

    @event("Recorded")
    def __init__(
        self, id: UUID, actor: Actor, child_id: UUID, other_child_id: UUID, counterpart_id: UUID, relation: str, other_is: str,
        reason: str,
    ) -> None:
        self.state = LinkState.LINKED
        self.child_id = child_id
        self.other_child_id = other_child_id
        self.counterpart_id = counterpart_id  # the other child's side of the same link
        self.relation = Relation(relation)
        self.other_is = Side(other_is)
        self.reason = reason
        self.recorded_by = actor.agency
        self.removed_by: str | None = None
        self.removal_reason: str | None = None

    def remove(self, actor: Actor, reason: str) -> None:
        """A wrong link is taken back by an event of its own: the log keeps that it was once recorded."""
        self.require_state("remove", [LinkState.LINKED])
        self._removed(actor=actor, reason=reason)

    @event("Removed")
    def _removed(self, actor: Actor, reason: str) -> None:
        self.state = LinkState.REMOVED
        self.removed_by = actor.agency
        self.removal_reason = reason


def other_side(relation: Relation, other_is: Side) -> Side:
    """What this child is to the other: the mother's side names the infant, and the other way round."""
    if relation == Relation.MOTHER_INFANT:
        return Side.INFANT if other_is == Side.MOTHER else Side.MOTHER
    return Side.RELATIVE
