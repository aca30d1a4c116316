"""What each inbound topic carries: the agency adapters' messages, and answers to notices.

An adapter (adapters/registry.py) parses, translates and applies its agency's
messages. Two messages are the hub's own, on every topic: a body acknowledging or
answering a notice addressed to it (hub/kafka/notice_messages.py). Bodies that have
no adapter of their own (the prosecutor, social protection, the education department,
the court, UNICEF, a Safeguarding Lead...) send them to ``hub.in.notices``, which
carries nothing else: signed by the sending agency's key like any inbound message,
and allowed by the same commands as over HTTP (docs/decisions/0044).
"""

from __future__ import annotations

from typing import Any

from adapters.errors import AdapterError
from adapters.registry import ADAPTERS
from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind
from hub.bootstrap import Hub
from hub.errors import InvalidInput
from hub.kafka import notice_messages
from hub.kafka.ingest import Inbound


def inbound(name: str) -> Inbound:
    adapter = ADAPTERS[name]

    def through_adapter(hub: Hub, actor: Actor, raw: bytes, message_id: str) -> Any:
        return hub.messages.receive(actor, name, raw, message_id)

    def dispatch(hub: Hub, actor: Actor, raw: bytes, message_id: str) -> Any:
        # Nearly every message is the adapter's: its model reads the type as it parses the message, and refuses a
        # notice's answer, which is none of its types, before anything is staged. So a message is parsed once,
        # not a second time first just for its type (6 µs of each police protocol).
        try:
            return through_adapter(hub, actor, raw, message_id)
        except AdapterError:
            if notice_messages.message_type(raw) not in notice_messages.MESSAGE_TYPES:
                raise
        return notice_messages.receive(hub, actor, raw)

    return Inbound(name, adapter.senders, dispatch)


NOTICES = "notices"
# Every body a notice can be addressed to may answer it; the hub's operators are told nothing.
NOTICE_SENDERS = frozenset(BodyKind) - {BodyKind.HUB}


def notices_inbound() -> Inbound:
    def receive(hub: Hub, actor: Actor, raw: bytes, message_id: str) -> Any:
        if notice_messages.message_type(raw) not in notice_messages.MESSAGE_TYPES:
            raise AdapterError("unknown-message-type", "message_type",
                               f"{NOTICES} carries {' and '.join(sorted(notice_messages.MESSAGE_TYPES))} only")
        return notice_messages.receive(hub, actor, raw)

    def command(raw: bytes) -> str:
        # Unknown types are dead-lettered by receive; the least command keeps the refusal about the message.
        return notice_messages.COMMANDS.get(str(notice_messages.message_type(raw)), "notice.acknowledge")

    return Inbound(NOTICES, NOTICE_SENDERS, receive, command)


def inbound_names() -> list[str]:
    """Every inbound topic's name: the adapters', and the notices' answers."""
    return [*ADAPTERS, NOTICES]


def inbounds(names: list[str] | None = None) -> list[Inbound]:
    """The inbound topics named (all of them by default); an unknown name is refused, naming the known ones."""
    chosen = names or inbound_names()
    unknown = [n for n in chosen if n not in inbound_names()]
    if unknown:
        raise InvalidInput("adapter", "no adapter %(unknown)s; adapters: %(adapters)s",
                           values={"unknown": ", ".join(unknown), "adapters": ", ".join(inbound_names())})
    return [notices_inbound() if n == NOTICES else inbound(n) for n in chosen]
