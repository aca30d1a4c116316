"""Request and response bodies for referrals."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from hub.aggregates.referral_content import ReferralContent
from hub.aggregates.vocabulary import NgoService
from hub.text import Code, Text

Reason = Annotated[str, Text(2000)]


class SubmitReferral(ReferralContent):
    """A referral (Annex C), optionally naming a known child and the receiving agency."""

    child_id: UUID | None = Field(None, description="the hub id of a child already known to the hub")
    recipient_agency: Annotated[str, Code(64)] | None = Field(
        None, description="agency code; when absent the routing rules choose the competent body"
    )

    def content(self) -> ReferralContent:
        """The referral's content, validated once, as this body was: its fields are taken as they are."""
        fields = ReferralContent.model_fields
        return ReferralContent.model_construct(
            self.model_fields_set & fields.keys(), **{name: getattr(self, name) for name in fields}
        )


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Acknowledge(_Command):
    note: Reason | None = None


class Decline(_Command):
    reasons: list[Reason] = Field(
        ..., min_length=1, max_length=20, description="why the referral is declined"
    )


class Redirect(_Command):
    to_agency: Annotated[str, Code(64)]
    reason: Reason


class Withdraw(_Command):
    reason: Reason


class WithdrawFamilyWish(_Command):
    note: Reason = Field(..., description="what the child said, and how: the child's own decision, recorded in the child's file")


class RefuseServiceConsent(_Command):
    service: NgoService = Field(..., description="the service the child or parent did not consent to")
    note: Reason | None = Field(None, description="what the referrer is told (ngo N09, N10)")
