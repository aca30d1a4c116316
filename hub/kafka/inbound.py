"""What each inbound topic carries: the agency adapters' messages, and acknowledgements of notices.

An adapter (adapters/registry.py) parses, translates and applies its agency's
messages. One message is the hub's own rather than an agency's: on the
guardianship topic, ``{"message_type": "notice_acknowledged", "referral_id": ...}``
is the GTA confirming it received the notice of a referral (routing.yaml
``notices``); it is recorded as ``Referral.NoticeAcknowledged``.
"""

from __future__ import annotations

import json
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, ValidationError

from adapters.errors import AdapterError
from adapters.registry import ADAPTERS
from hub.bootstrap import Hub
from hub.actor import Actor
from hub.errors import InvalidInput
from hub.kafka.ingest import Inbound, Receive

ACKNOWLEDGEMENT = "notice_acknowledged"
ACKNOWLEDGED_ON = "guardianship"  # the topic of the bodies that are sent notices


class NoticeAcknowledged(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    message_type: Literal["notice_acknowledged"]
    referral_id: UUID


def acknowledge(hub: Hub, actor: Actor, raw: bytes, message_id: str) -> Any:
    """Idempotent in itself: a body acknowledges a notice once, a repeat records nothing."""
    try:
        message = NoticeAcknowledged.model_validate_json(raw)
    except ValidationError as error:
        raise AdapterError.from_validation(error) from None
    return hub.referrals.acknowledge_notice(actor, message.referral_id)


def _message_type(raw: bytes) -> str | None:
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None  # the adapter reports it
    return document.get("message_type") if isinstance(document, dict) else None


def _with_acknowledgements(adapter: Receive) -> Receive:
    def dispatch(hub: Hub, actor: Actor, raw: bytes, message_id: str) -> Any:
        if _message_type(raw) == ACKNOWLEDGEMENT:
            return acknowledge(hub, actor, raw, message_id)
        return adapter(hub, actor, raw, message_id)

    return dispatch


def inbound(name: str) -> Inbound:
    adapter = ADAPTERS[name]

    def through_adapter(hub: Hub, actor: Actor, raw: bytes, message_id: str) -> Any:
        return hub.messages.receive(actor, name, raw, message_id)

    handler = _with_acknowledgements(through_adapter) if name == ACKNOWLEDGED_ON else through_adapter
    return Inbound(name, adapter.senders, handler)


def inbounds(names: list[str] | None = None) -> list[Inbound]:
    """The adapters named (all of them by default); an unknown name is refused, naming the known ones."""
    chosen = names or list(ADAPTERS)
    unknown = [n for n in chosen if n not in ADAPTERS]
    if unknown:
        raise InvalidInput("adapter", f"no adapter {', '.join(unknown)}; adapters: {', '.join(ADAPTERS)}")
    return [inbound(n) for n in chosen]
