"""Request and response bodies for consent."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool

from hub.aggregates.consent import ConsentPurpose
from hub.aggregates.vocabulary import Signatory
from hub.text import Code, Line, Text

Recipient = Annotated[str, Code(64), Field(description="a kind of body (e.g. health) or an agency code")]


class GiveConsent(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    purpose: ConsentPurpose
    recipient: Recipient
    signatories: list[Signatory] = Field(..., min_length=1)
    child_mature: StrictBool = Field(..., description="the child has sufficient maturity and understanding")
    method: Annotated[str, Line(200)] = Field("signature", description="signature, thumbprint, oral recording...")
    expires_at: AwareDatetime | None = Field(None, description="with its UTC offset: a bare local time names no moment")
    parent_refused: StrictBool = Field(False, description="medical examination: the parent refused (L2352-2356)")


class WithdrawConsent(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    purpose: ConsentPurpose
    recipient: Recipient
    reason: Annotated[str, Text(2000)] | None = None
