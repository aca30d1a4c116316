"""A deadline that passed unmet: raised once per clock, by the hub, and told to the bodies concerned."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.crypto.ids import RecordIds


class EscalationState(StrEnum):
    RAISED = "raised"


def escalation_id_for(ids: RecordIds, subject_id: UUID, deadline_id: str, occurrence: int) -> UUID:
    """One escalation per missed clock: raising it twice is refused by the store, not by luck."""
    return ids.of("overdue", subject_id, deadline_id, occurrence)


class Escalation(HubAggregate):
    kind = "escalation"

    @event("Raised")
    def __init__(
        self,
        id: UUID,  # escalation_id_for(...)
        actor: Actor,
        child_id: UUID,
        subject_type: str,
        subject_id: UUID,
        deadline_id: str,
        title: str,
        rule: str,
        due_at: datetime,
        notify: list[str],
    ) -> None:
        self.state = EscalationState.RAISED
        self.child_id = child_id
        self.subject_type = subject_type
        self.subject_id = subject_id
        self.deadline_id = deadline_id
        self.title = title
        self.rule = rule
        self.due_at = due_at
        self.notify = notify
