"""Request and response bodies for consent."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from hub import clock
from hub.aggregates.consent import Consent, ConsentPurpose, ConsentState
from hub.aggregates.vocabulary import Signatory


class GiveConsent(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    purpose: ConsentPurpose
    recipient: str = Field(..., min_length=1, max_length=64, description="a kind of body (e.g. health) or an agency code")
    signatories: list[Signatory] = Field(..., min_length=1)
    child_mature: bool = Field(..., description="the child has sufficient maturity and understanding")
    method: str = Field("signature", max_length=200, description="signature, thumbprint, oral recording...")
    expires_at: datetime | None = None
    parent_refused: bool = Field(False, description="medical examination: the parent refused (L2352-2356)")


class WithdrawConsent(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    purpose: ConsentPurpose
    recipient: str = Field(..., min_length=1, max_length=64)
    reason: str | None = Field(None, max_length=2000)


class ConsentView(BaseModel):
    id: UUID
    child_id: UUID
    purpose: ConsentPurpose
    recipient: str
    status: ConsentState
    signatories: list[Signatory]
    child_mature: bool
    method: str
    expires_at: datetime | None
    updated_at: datetime

    @classmethod
    def of(cls, consent: Consent) -> ConsentView:
        return cls(
            id=consent.id,
            child_id=consent.child_id,
            purpose=consent.purpose,
            recipient=consent.recipient,
            status=consent.status(clock.now()),
            signatories=consent.signatories,
            child_mature=consent.child_mature,
            method=consent.method,
            expires_at=consent.expires_at,
            updated_at=consent.modified_on,
        )
