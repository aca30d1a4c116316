"""The allegation record: what the bodies the staff-harm protocol tells may see of it (docs/decisions/0035)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.allegation import Allegation


class StaffMember(BaseModel):
    name: str | None = None
    role: str | None = None


class AllegationRecord(BaseModel):
    id: UUID
    child_id: UUID
    state: str
    reported_at: datetime
    employer_agency: str
    lead_agency: str | None
    investigator_agency: str | None
    referral_id: UUID | None
    about_staff: StaffMember  # its fields empty when the reporter could not name the staff member
    about_lead: bool
    about_deputy: bool
    came_to_attention: str
    aware_at: datetime | None
    steps_taken: str | None
    emergency: bool
    removed_from_contact_at: datetime | None
    investigation_referred_to: str | None
    progress: list[dict[str, Any]]
    outcome: str | None
    directions: str | None
    concluded_at: datetime | None


def allegation_record(allegation: Allegation) -> dict[str, Any]:
    return AllegationRecord(
        id=allegation.id, child_id=allegation.child_id, state=str(allegation.state),
        reported_at=allegation.created_on, employer_agency=allegation.employer_agency,
        lead_agency=allegation.lead_agency, investigator_agency=allegation.investigator_agency,
        referral_id=allegation.referral_id,
        about_staff=StaffMember(**(allegation.about_staff or {})),
        about_lead=allegation.about_lead, about_deputy=allegation.about_deputy,
        came_to_attention=allegation.came_to_attention, aware_at=allegation.aware_at,
        steps_taken=allegation.steps_taken, emergency=allegation.emergency,
        removed_from_contact_at=allegation.removed_from_contact_at,
        investigation_referred_to=allegation.investigation_referred_to, progress=allegation.progress,
        outcome=allegation.outcome, directions=allegation.directions, concluded_at=allegation.concluded_at,
    ).model_dump(mode="json")
