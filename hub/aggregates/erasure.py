"""The erasure of a child's personal data (docs/decisions/0015).

Recorded before the child's key is shredded, and kept in clear: it must outlive
the data it erases. It carries who ordered it and why, which child records it
covers (a child found to be the same as another is erased with it), and the
*residue*: each view row the bodies had, with every personal field replaced
by a marker. Rebuilt views of an erased child are built from the residue,
since the child's own events no longer read.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.crypto.ids import RecordIds
from hub.errors import GuardViolation

MINIMUM_REASON = 20  # the legal ground and the request, so an auditor can judge it
ERASED_VALUE = "[erased]"


def erasure_id_for(ids: RecordIds, child_id: UUID) -> UUID:
    """One erasure per child: ordering it twice finds the first."""
    return ids.of("erasure", child_id)


class ErasureState(StrEnum):
    ORDERED = "ordered"


class Erasure(HubAggregate):
    kind = "erasure"

    @event("Ordered")
    def __init__(self, id: UUID, actor: Actor, child_ids: list[UUID], reason: str, residue: list[dict[str, Any]]) -> None:
        self.state = ErasureState.ORDERED
        self.ordered_by = actor
        self.child_ids = list(child_ids)
        self.reason = reason
        self.residue = residue

    @staticmethod
    def check_reason(reason: str) -> str:
        reason = reason.strip()
        if len(reason) < MINIMUM_REASON:
            raise GuardViolation(
                "erasure-reason",
                "say in at least %(characters)s characters on what ground the data is erased (the reason is kept in clear: name "
                "no one in it)",
                values={"characters": MINIMUM_REASON},
                field="reason",
            )
        return reason
