"""One read of a child's records through the API: who, which record, which fields, under which rule.

A list (an inbox page) is one read naming every line it showed.

A new stream per read: recording never contends with another read, and the
log keeps every one of them, including the refusals.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate


class AccessOutcome(StrEnum):
    GRANTED = "granted"
    DENIED = "denied"
    BREAK_GLASS = "break_glass"


class AccessRecord(HubAggregate):
    kind = "access record"

    @event("Recorded")
    def __init__(
        self,
        actor: Actor,
        child_id: UUID | None,
        record_type: str,
        record_id: UUID,
        fields: list[str],
        rules: list[str],
        outcome: str,
        purpose: str,
        items: list[list[str]] | None = None,
    ) -> None:
        self.state = AccessOutcome(outcome)
        self.actor = actor
        self.child_id = child_id
        self.record_type = record_type
        self.record_id = record_id
        self.fields = fields
        self.rules = rules
        self.purpose = purpose
        self.items = items or []  # a list read: [child id, record type, record id] per line shown
