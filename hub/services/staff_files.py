"""The employer's Director reads and acknowledges the outcomes of allegations against its staff (cam-csc-manual
11.3.8, ngo N29; docs/decisions/0044), on its staff file: never the child's file, which stays concealed from it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from hub.actor import Actor
from hub.aggregates.access_record import AccessOutcome
from hub.aggregates.allegation import Allegation
from hub.aggregates.staff_file import StaffFile, staff_file_id
from hub.errors import NotFound
from hub.services.aggregates import Aggregates
from hub.services.commit import Commit, Reply
from hub.services.conflicts import retry_on_conflict
from hub.services.reads import ReadService

RECORD_TYPE = "staff_file"
FIELDS = ["staff", "outcome", "directions", "concluded_at", "by_agency", "acknowledged_at", "acknowledged_by"]
RULE = "cam-11.3.8"  # the employer's Director is told the outcome (ngo N29)


class StaffFileService:
    def __init__(self, aggregates: Aggregates, reads: ReadService, commit: Commit) -> None:
        self.aggregates = aggregates
        self.reads = reads
        self.commit = commit

    def file_of(self, actor: Actor, agency: str) -> StaffFile:
        """The agency's staff file, opened by its first outcome."""
        file_id = staff_file_id(self.aggregates.ids, agency)
        found = self.aggregates.find(file_id)
        return found if isinstance(found, StaffFile) else StaffFile(id=file_id, actor=actor, agency=agency)

    def told_of(self, actor: Actor, allegation: Allegation) -> StaffFile:
        """The concluded allegation's outcome on its employer's file: the staff member, the outcome, the directions."""
        staff_file = self.file_of(actor, allegation.employer_agency)
        outcome_id = self.aggregates.ids.of("staff_outcome", allegation.id)
        staff_file.record_outcome(actor, outcome_id, allegation.about_staff, str(allegation.outcome),
                                  allegation.directions)
        return staff_file

    def outcomes(self, actor: Actor) -> list[dict[str, Any]]:
        """The file names staff members: each reading of it is recorded, as every read of personal data is."""
        file_id = staff_file_id(self.aggregates.ids, actor.agency)
        found = self.aggregates.find(file_id)
        if not isinstance(found, StaffFile):
            return []
        self.reads.record_read(actor, None, RECORD_TYPE, file_id, FIELDS, [RULE], AccessOutcome.GRANTED, "read")
        return list(found.outcomes.values())

    @retry_on_conflict
    def acknowledge(self, actor: Actor, outcome_id: UUID, reply: Reply | None = None) -> dict[str, Any]:
        found = self.aggregates.find(staff_file_id(self.aggregates.ids, actor.agency))
        if not isinstance(found, StaffFile):
            raise NotFound(f"no outcome {outcome_id}")
        if found.acknowledge(actor, outcome_id):
            self.commit(actor, found, reply=reply)
        return dict(found.outcomes[outcome_id])
