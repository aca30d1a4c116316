"""The record that an agency's message was applied: what makes a redelivery change nothing.

One receipt per (sending agency, adapter, Message-Id), saved in the same
transaction as the message's commands. A message delivered again finds it and
gets the same ids back; a different message under a used Message-Id is refused.
It holds ids and a digest of the message, nothing personal, so it is stored
like the agency directory: about no child.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from adapters.commands import AppliedCommand
from adapters.errors import AdapterError
from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.crypto.ids import RecordIds


def receipt_id_for(ids: RecordIds, agency: str, adapter: str, message_id: str) -> UUID:
    return ids.of("receipt", agency, adapter, message_id)


class MessageReceipt(HubAggregate):
    kind = "adapter_message"
    # Stored unsealed as it always was, now without asking the subject index first for a child it never has
    # (a statement per message: hub/crypto/mapper.py).
    about_no_child = True

    @event("Applied")
    def __init__(
        self,
        id: UUID, actor: Actor, adapter: str, message_type: str, message_id: str, fingerprint: str, applied: list[dict]
    ) -> None:
        self.adapter = adapter
        self.message_type = message_type
        self.message_id = message_id
        self.fingerprint = fingerprint
        self.applied = [dict(a) for a in applied]

    def replay(self, fingerprint: str) -> list[AppliedCommand]:
        if fingerprint != self.fingerprint:
            raise AdapterError(
                "message-id-reused",
                "Message-Id",
                f"Message-Id {self.message_id!r} was already used for a different {self.adapter} message",
            )
        return [
            AppliedCommand(a["command"], a["record_type"], UUID(a["record_id"]), UUID(a["child_id"]), repeat=True)
            for a in self.applied
        ]
