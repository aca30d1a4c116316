"""A closed file handed to the archive when the child came of age (cam-csc-manual §7.4, D53; decision 0019).

"Closed case files shall be kept by the CAM/CSC until the child reaches 18 years of
age, after which the case files shall be maintained according to Kazakhstan's laws
on maintaining State records and archives" (L2573-2578). Nothing there permits
deletion: archiving is a lifecycle event. The child's records stay in the log,
where auditors still replay them, and leave every body's operational views.

It names no one and carries no date of birth (an 18th birthday would give it away):
only which records went, under which run and rule.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.crypto.ids import RecordIds

RULE = "D53"


def archival_id_for(ids: RecordIds, child_id: UUID) -> UUID:
    """One archival per child record: a second run, or two at once, cannot archive it twice."""
    return ids.of("archival", child_id)


class Archival(HubAggregate):
    kind = "archival"

    @event("Archived")
    def __init__(
        self,
        id: UUID, actor: Actor, child_id: UUID, run_id: UUID, retention_rule: str, retention_age: int,
        case_ids: list[UUID], referral_ids: list[UUID],
    ) -> None:
        self.state = "archived"
        self.archived_by = actor
        self.child_id = child_id
        self.run_id = run_id
        self.retention_rule = retention_rule
        self.retention_age = retention_age
        self.case_ids = list(case_ids)
        self.referral_ids = list(referral_ids)
