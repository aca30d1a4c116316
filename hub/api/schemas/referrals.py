"""Request and response bodies for referrals."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from hub.aggregates.referral import Referral, ReferralState
from hub.aggregates.referral_content import ReferralContent


class SubmitReferral(ReferralContent):
    """A referral (Annex C), optionally naming a known child and the receiving agency."""

    child_id: UUID | None = Field(None, description="the hub id of a child already known to the hub")
    recipient_agency: str | None = Field(
        None, max_length=64, description="agency code; when absent the routing rules choose the competent body"
    )

    def content(self) -> ReferralContent:
        return ReferralContent.model_validate(self.model_dump(exclude={"child_id", "recipient_agency"}))


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Acknowledge(_Command):
    note: str | None = Field(None, max_length=2000)


class Decline(_Command):
    reasons: list[str] = Field(..., min_length=1, max_length=20, description="why the referral is declined")


class Redirect(_Command):
    to_agency: str = Field(..., max_length=64)
    reason: str = Field(..., min_length=1, max_length=2000)


class Withdraw(_Command):
    reason: str = Field(..., min_length=1, max_length=2000)


class ReferralView(BaseModel):
    id: UUID
    state: ReferralState
    version: int
    referrer_agency: str
    recipient_agency: str
    routing_reason: str
    child_id: UUID
    case_id: UUID | None
    decline_reasons: list[str]
    redirected_to: str | None
    redirected_from: UUID | None
    onward_referral_id: UUID | None
    outcome_reason: str | None
    submitted_at: datetime
    updated_at: datetime
    content: ReferralContent

    @classmethod
    def of(cls, referral: Referral) -> ReferralView:
        return cls(
            id=referral.id,
            state=referral.state,
            version=referral.version,
            referrer_agency=referral.referrer_agency,
            recipient_agency=referral.recipient_agency,
            routing_reason=referral.routing_reason,
            child_id=referral.child_id,
            case_id=referral.case_id,
            decline_reasons=referral.decline_reasons,
            redirected_to=referral.redirected_to,
            redirected_from=referral.redirected_from,
            onward_referral_id=referral.onward_referral_id,
            outcome_reason=referral.outcome_reason,
            submitted_at=referral.created_on,
            updated_at=referral.modified_on,
            content=referral.content,
        )
