"""An agency's staff file: the outcomes of allegations against its staff, kept outside any child's file.

cam-csc-manual 11.3.7-11.3.8 and ngo-services-manual N29 (L1959-1966) make the employer's Director act on an
investigation's outcome: return the staff member with support, or take the disciplinary action the investigator
directs. The employer is concealed from the child's file (decision 0035), so the outcome reaches it here, on a
record of its own that names the staff member and never the child (docs/decisions/0044): no child's id, no
referral, no allegation id, nothing a worker typed about the child but the investigator's directions to it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.crypto.ids import RecordIds
from hub.errors import NotFound


def staff_file_id(ids: RecordIds, agency: str) -> UUID:
    return ids.of("staff_file", agency)


class StaffFile(HubAggregate):
    kind = "staff file"

    @event("Opened")
    def __init__(self, id: UUID, actor: Actor, agency: str) -> None:  # staff_file_id(...)
        self.agency = agency
        self.outcomes: dict[UUID, dict[str, Any]] = {}

    def record_outcome(
        self, actor: Actor, outcome_id: UUID, staff: dict[str, str] | None, outcome: str, directions: str | None
    ) -> None:
        if outcome_id not in self.outcomes:
            self._outcome_recorded(actor=actor, outcome_id=outcome_id, staff=staff, outcome=outcome,
                                   directions=directions)

    @event("OutcomeRecorded")
    def _outcome_recorded(
        self, actor: Actor, outcome_id: UUID, staff: dict[str, str] | None, outcome: str, directions: str | None
    ) -> None:
        self.outcomes[outcome_id] = {"id": outcome_id, "staff": staff, "outcome": outcome, "directions": directions,
                                     "concluded_at": self.modified_on, "by_agency": actor.agency,
                                     "acknowledged_at": None, "acknowledged_by": None}

    def acknowledge(self, actor: Actor, outcome_id: UUID) -> bool:
        """The Director confirms the outcome reached the employer; a repeat records nothing."""
        found = self.outcomes.get(outcome_id)
        if found is None:
            raise NotFound(f"no outcome {outcome_id}")
        if found["acknowledged_at"] is not None:
            return False
        self._acknowledged(actor=actor, outcome_id=outcome_id)
        return True

    @event("OutcomeAcknowledged")
    def _acknowledged(self, actor: Actor, outcome_id: UUID) -> None:
        self.outcomes[outcome_id].update(acknowledged_at=self.modified_on, acknowledged_by=actor.user)
