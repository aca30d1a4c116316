"""An allegation that a child was harmed by a member of an agency's staff (cam 11.3, ngo 13.4; docs/decisions/0035).

A record of its own, bound to the child (sealed with the child's key, erased with it), and routed away
from the employing agency: its notices go to the employer's Safeguarding Lead, the investigating body
and UNICEF's focal point (hub/policy/notices.yaml cam:N47-N51, ngo:N26-N30), while the employer, whose
staff it is about, never learns of the child (privacy.yaml VSE-8.3-BYPASS).

Lifecycle: reported -> (staff removed from contact) -> investigating (referred to the police) ->
(progress reported...) -> concluded (outcome and directions).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.crypto.ids import RecordIds


class AllegationState(StrEnum):
    REPORTED = "reported"
    INVESTIGATING = "investigating"
    CONCLUDED = "concluded"


class Outcome(StrEnum):
    SUBSTANTIATED = "substantiated"
    UNSUBSTANTIATED = "unsubstantiated"


OPEN = (AllegationState.REPORTED, AllegationState.INVESTIGATING)


def allegation_id_for(ids: RecordIds, referral_id: UUID) -> UUID:
    """One allegation per referral that carries it: a repeated submission finds the first."""
    return ids.of("allegation", referral_id)


class Allegation(HubAggregate):
    kind = "allegation"

    @event("Reported")
    def __init__(
        self,
        id: UUID,  # allegation_id_for(...)
        actor: Actor,
        child_id: UUID,
        employer_agency: str,
        lead_agency: str | None,
        investigator_agency: str | None,
        about_staff: dict[str, str] | None,
        about_lead: bool,
        about_deputy: bool,
        referral_id: UUID | None,
        came_to_attention: str,
        aware_at: datetime | None,
        steps_taken: str | None,
        emergency: bool,
    ) -> None:
        self.state = AllegationState.REPORTED
        self.child_id = child_id
        self.reporter_agency = actor.agency
        self.reporter_user = actor.user
        self.employer_agency = employer_agency
        self.lead_agency = lead_agency  # None: the employer has no Safeguarding Lead registered
        self.investigator_agency = investigator_agency  # None: no investigating body registered in the city
        self.about_staff = about_staff
        self.about_lead = about_lead
        self.about_deputy = about_deputy
        self.referral_id = referral_id
        self.came_to_attention = came_to_attention
        self.aware_at = aware_at
        self.steps_taken = steps_taken
        self.emergency = emergency
        self.removed_from_contact_at: datetime | None = None
        self.investigation_referred_to: str | None = None
        self.progress: list[dict[str, Any]] = []
        self.outcome: str | None = None
        self.directions: str | None = None
        self.concluded_at: datetime | None = None

    @property
    def lead_accused(self) -> bool:
        """The Lead or the Deputy is accused: the two are one body in the hub (decision 0035), so neither is told."""
        return self.about_lead or self.about_deputy

    def accused(self) -> list[str]:
        """The bodies whose own staff are accused: the employer, and the Safeguarding Lead's body when the
        allegation names its Lead or Deputy."""
        return [self.employer_agency, *([self.lead_agency] if self.lead_accused and self.lead_agency else [])]

    def is_reporter(self, actor: Actor) -> bool:
        """The person who reported it, not the body: a colleague of the accused at the same body is not told."""
        return (actor.agency, actor.user) == (self.reporter_agency, self.reporter_user)

    def remove_from_contact(self, actor: Actor) -> None:
        self.require_state("remove from contact", OPEN)
        if self.removed_from_contact_at is None:
            self._removed_from_contact(actor=actor)

    @event("StaffRemovedFromContact")
    def _removed_from_contact(self, actor: Actor) -> None:
        self.removed_from_contact_at = self.modified_on

    def refer_investigation(self, actor: Actor, to_agency: str) -> None:
        self.require_state("refer for investigation", [AllegationState.REPORTED])
        self._investigation_referred(actor=actor, to_agency=to_agency)

    @event("InvestigationReferred")
    def _investigation_referred(self, actor: Actor, to_agency: str) -> None:
        self.state = AllegationState.INVESTIGATING
        self.investigation_referred_to = to_agency

    def report_progress(self, actor: Actor, text: str) -> None:
        self.require_state("report progress", OPEN)
        self._progress_reported(actor=actor, text=text)

    @event("ProgressReported")
    def _progress_reported(self, actor: Actor, text: str) -> None:
        self.progress.append({"at": self.modified_on.isoformat(), "by": actor.agency, "text": text})

    def conclude(self, actor: Actor, outcome: Outcome, directions: str | None) -> None:
        self.require_state("conclude", OPEN)
        self._concluded(actor=actor, outcome=str(outcome), directions=directions)

    @event("Concluded")
    def _concluded(self, actor: Actor, outcome: str, directions: str | None) -> None:
        self.state = AllegationState.CONCLUDED
        self.outcome = outcome
        self.directions = directions
        self.concluded_at = self.modified_on
