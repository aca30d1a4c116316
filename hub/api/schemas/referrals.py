"""Request and response bodies for referrals."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

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
    reasons: list[Annotated[str, Field(min_length=1, max_length=2000)]] = Field(
        ..., min_length=1, max_length=20, description="why the referral is declined"
    )


class Redirect(_Command):
    to_agency: str = Field(..., max_length=64)
    reason: str = Field(..., min_length=1, max_length=2000)


class Withdraw(_Command):
    reason: str = Field(..., min_length=1, max_length=2000)
