"""Request bodies for answering notices."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from hub.aggregates.notice import Answer
from hub.text import Text

Reason = Annotated[str, Text(2000)]


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AcknowledgeNotice(_Command):
    pass


class AnswerNotice(_Command):
    answer: Answer = Field(..., description="one of the answers the notice allows (its `answers`)")
    reasons: list[Reason] = Field(default_factory=list, max_length=20, description="required for a refusal")
    note: Reason | None = Field(None, description="what was done, or what is asked")


class ReplyToNotice(_Command):
    text: Reason = Field(..., description="the sender's answer to the recipient's question")


class WithdrawNotice(_Command):
    reason: Reason
