"""Request bodies of the staff-harm protocol (docs/decisions/0035)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hub.aggregates.allegation import Outcome
from hub.api.schemas.referrals import SubmitReferral
from hub.services.allegation_intake import AllegationDetails
from hub.text import Text

Words = Annotated[str, Text(2000)]
Name = Annotated[str, Text(300)]


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StaffMember(_Command):
    name: Name | None = None
    role: Name | None = None


class ReportAllegation(_Command):
    """An allegation that a child was harmed by staff (cam 11.3.5, ngo 13.4.5): the child and the concern as a
    referral, whose ``concern.about_agency`` names the employer, and the reporter's account."""

    referral: SubmitReferral
    about_staff: StaffMember | None = Field(None, description="the staff member the allegation is about")
    about_lead: bool = Field(False, description="it is about the employer's Safeguarding Lead")
    about_deputy: bool = Field(False, description="it is about the employer's Deputy Safeguarding Lead")
    came_to_attention: Words = Field(..., description="how it came to the reporter's attention (11.3.5 e)")
    aware_at: AwareDatetime | None = Field(None, description="when the reporter became aware (11.3.5 f)")
    steps_taken: Words | None = Field(None, description="what was done to protect the child (11.3.5 i)")
    emergency: bool = Field(False, description="harm is imminent or emergency medical care is needed (cam N48)")

    def details(self) -> AllegationDetails:
        return AllegationDetails(
            came_to_attention=self.came_to_attention,
            about_staff=self.about_staff.model_dump(exclude_none=True) if self.about_staff else None,
            about_lead=self.about_lead, about_deputy=self.about_deputy, aware_at=self.aware_at,
            steps_taken=self.steps_taken, emergency=self.emergency,
        )


class RemoveFromContact(_Command):
    pass


class ReferInvestigation(_Command):
    pass


class ReportProgress(_Command):
    text: Words


class Conclude(_Command):
    outcome: Outcome
    directions: Words | None = Field(None, description="disciplinary directions to the employer (cam 11.3.6-11.3.8)")


