"""Turns a referral that accuses an agency's staff (``concern.about_agency``) into an Allegation of its own.

The allegation is raised in the referral's own transaction, so that a report can never be recorded
without the notices that take it away from the accused body (docs/decisions/0035). Its Safeguarding
Lead and investigating body are chosen here, once, from the directory and hub/policy/routing.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.actor import Actor
from hub.aggregates.allegation import Allegation, allegation_id_for
from hub.aggregates.referral import Referral
from hub.crypto.ids import RecordIds
from hub.routing import allegation_investigator
from hub.services.directory import DirectoryService


@dataclass(frozen=True)
class AllegationDetails:
    """What the reporter says beyond the referral (cam 11.3.5, ngo 13.4.5)."""

    came_to_attention: str
    about_staff: dict[str, str] | None = None  # {name, role}
    about_lead: bool = False
    about_deputy: bool = False
    aware_at: datetime | None = None
    steps_taken: str | None = None
    emergency: bool = False


class AllegationIntake:
    def __init__(self, directory: DirectoryService, ids: RecordIds) -> None:
        self.directory = directory
        self.ids = ids

    def raise_for(self, actor: Actor, referral: Referral, details: AllegationDetails | None) -> Allegation:
        """The allegation a new referral carries; a referral's own words stand in for details not given."""
        about = referral.content.concern.about_agency
        assert about is not None, "raised only for a referral naming concern.about_agency"
        employer = self.directory.agency(about, field="concern.about_agency")
        details = details or AllegationDetails(
            came_to_attention="the referral's concern", emergency=str(referral.content.concern.urgency) == "emergency"
        )
        lead = self.directory.safeguarding_lead_of(employer.code)
        city = referral.content.child.city
        investigators = self.directory.agencies_of(allegation_investigator(employer.kind), city)
        return Allegation(
            id=allegation_id_for(self.ids, referral.id), actor=actor, child_id=referral.child_id,
            employer_agency=employer.code, lead_agency=lead.code if lead else None,
            investigator_agency=investigators[0].code if investigators else None,
            about_staff=details.about_staff, about_lead=details.about_lead, about_deputy=details.about_deputy,
            referral_id=referral.id, came_to_attention=details.came_to_attention, aware_at=details.aware_at,
            steps_taken=details.steps_taken, emergency=details.emergency,
        )
