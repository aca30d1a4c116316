"""Request and response bodies for consent."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hub.aggregates.consent import ConsentPurpose
from hub.aggregates.vocabulary import Signatory


class GiveConsent(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    purpose: ConsentPurpose
    recipient: str = Field(..., min_length=1, max_length=64, description="a kind of body (e.g. health) or an agency code")
    signatories: list[Signatory] = Field(..., min_length=1)
    child_mature: bool = Field(..., description="the child has sufficient maturity and understanding")
    method: str = Field("signature", max_length=200, description="signature, thumbprint, oral recording...")
    expires_at: AwareDatetime | None = Field(None, description="with its UTC offset: a bare local time names no moment")
    parent_refused: bool = Field(False, description="medical examination: the parent refused (L2352-2356)")


class WithdrawConsent(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    purpose: ConsentPurpose
    recipient: str = Field(..., min_length=1, max_length=64)
    reason: str | None = Field(None, max_length=2000)
