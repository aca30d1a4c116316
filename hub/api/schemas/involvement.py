"""Request bodies for a child harmed by another minor and the S7 steps (decision 0050)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from hub.aggregates.involvement import Setting, Step
from hub.api.schemas.referrals import SubmitReferral
from hub.text import Text

Reason = Annotated[str, Text(2000)]


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MinorPerpetrator(_Command):
    """The alleged perpetrator is a minor: his own referral, for his own protection needs (vse S7, §8 item 3)."""

    perpetrator: SubmitReferral = Field(
        ..., description="a referral about the alleged perpetrator (child_id for a child the hub knows): his needs, "
                         "his parents, his consent; never the harmed child's")
    setting: Setting = Field(..., description="where it happened: at school the school inspector documents it (L3207)")
    reason: Reason = Field(..., description="what is alleged, in the recorder's words: kept in both children's files")


class InvolvementStep(_Command):
    step: Step
    note: Reason = Field(..., description="what was done; a meeting with parents names this child's parents only")
    until: date | None = Field(None, description="for monitoring: the day the psychologist's checks end")
