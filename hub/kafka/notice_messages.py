"""The hub's own messages on every inbound topic: a body acknowledges or answers a notice addressed to it.

``{"message_type": "notice_acknowledged", "notice_id": ...}`` (or, as the GTA's system has sent
since routing notices were labels on a referral, ``"referral_id": ...``: every notice about that
referral addressed to the sender), and ``{"message_type": "notice_answered", "notice_id": ...,
"answer": "accept" | "refuse" | "action_taken" | "information_requested", "reasons": [...], "note": ...}``.
Idempotent in themselves: an acknowledgement is recorded once, an answered notice refuses a second
answer (dead-lettered with the reason), but for reports of action taken after an acceptance (0044).
"""

from __future__ import annotations

import json
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from adapters.errors import AdapterError
from hub.actor import Actor
from hub.api.schemas.notices import AnswerNotice
from hub.bootstrap import Hub

ACKNOWLEDGED, ANSWERED = "notice_acknowledged", "notice_answered"
MESSAGE_TYPES = frozenset({ACKNOWLEDGED, ANSWERED})
# The command of policy/commands.yaml each needs, as POST /v1/notices/{id}/acknowledgement and /answer do.
COMMANDS = {ACKNOWLEDGED: "notice.acknowledge", ANSWERED: "notice.answer"}


class NoticeAcknowledged(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    message_type: Literal["notice_acknowledged"]
    notice_id: UUID | None = None
    referral_id: UUID | None = None

    @model_validator(mode="after")
    def _one(self) -> NoticeAcknowledged:
        if (self.notice_id is None) == (self.referral_id is None):
            raise ValueError("name the notice (notice_id) or the referral it is about (referral_id)")
        return self


class NoticeAnswered(AnswerNotice):
    message_type: Literal["notice_answered"]
    notice_id: UUID


def message_type(raw: bytes) -> str | None:
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None  # the adapter reports it
    return document.get("message_type") if isinstance(document, dict) else None


def receive(hub: Hub, actor: Actor, raw: bytes) -> Any:
    try:
        if message_type(raw) == ANSWERED:
            answered = NoticeAnswered.model_validate_json(raw)
            return hub.notices.answer(actor, answered.notice_id, answered.answer, answered.reasons, answered.note)
        acknowledged = NoticeAcknowledged.model_validate_json(raw)
    except ValidationError as error:
        raise AdapterError.from_validation(error) from None
    if acknowledged.notice_id is not None:
        return hub.notices.acknowledge(actor, acknowledged.notice_id)
    return hub.notices.acknowledge_about(actor, acknowledged.referral_id)  # type: ignore[arg-type]
