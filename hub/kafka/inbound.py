"""What each inbound topic carries: the agency adapters' messages, and answers to notices.

An adapter (adapters/registry.py) parses, translates and applies its agency's
messages. Two messages are the hub's own, on every topic: a body acknowledging or
answering a notice addressed to it (hub/kafka/notice_messages.py).
"""

from __future__ import annotations

from typing import Any

from adapters.registry import ADAPTERS
from hub.actor import Actor
from hub.bootstrap import Hub
from hub.errors import InvalidInput
from hub.kafka import notice_messages
from hub.kafka.ingest import Inbound


def inbound(name: str) -> Inbound:
    adapter = ADAPTERS[name]

    def through_adapter(hub: Hub, actor: Actor, raw: bytes, message_id: str) -> Any:
        return hub.messages.receive(actor, name, raw, message_id)

    def dispatch(hub: Hub, actor: Actor, raw: bytes, message_id: str) -> Any:
        if notice_messages.message_type(raw) in notice_messages.MESSAGE_TYPES:
            return notice_messages.receive(hub, actor, raw)
        return through_adapter(hub, actor, raw, message_id)

    return Inbound(name, adapter.senders, dispatch)


def inbounds(names: list[str] | None = None) -> list[Inbound]:
    """The adapters named (all of them by default); an unknown name is refused, naming the known ones."""
    chosen = names or list(ADAPTERS)
    unknown = [n for n in chosen if n not in ADAPTERS]
    if unknown:
        raise InvalidInput("adapter", f"no adapter {', '.join(unknown)}; adapters: {', '.join(ADAPTERS)}")
    return [inbound(n) for n in chosen]
