"""A note or a file (a scan, a photo, a PDF) attached to a child, a referral or a case (docs/decisions/0047).

Never edited in place: a correction is a new note or file that supersedes the old one, and the old
one records that it was superseded, both in one transaction. Every attribute but the ids and the
actor is sealed with the child's key by the mapper (privacy.yaml ``events``): the text, the file's
name, type, size and digest. A file's bytes are not in the event: they are sealed apart
(hub/attachments/) under the attachment's id, in the event store's database or an S3 bucket.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.errors import GuardViolation

NOTE = "note"
FILE = "attachment"
ATTACHABLE = ("child", "referral", "case")  # the records a note or file may be attached to


class Category(StrEnum):
    GENERAL = "general"
    MEDICAL = "medical"  # seen only by the managing centre and the health body examining the child


class AttachmentState(StrEnum):
    CURRENT = "current"
    SUPERSEDED = "superseded"


class Attachment(HubAggregate):
    kind = "attachment"

    class Added(HubAggregate.Created):
        actor: Actor
        child_id: UUID
        record_type: str  # what it is attached to: a child, a referral or a case
        record_id: UUID
        item: str  # NOTE or FILE
        category: str
        text: str | None  # a note's text; a file's description
        filename: str | None
        media_type: str | None  # as sniffed from the bytes, never as declared
        size: int | None
        digest: str | None  # SHA-256 of the sealed bytes as stored
        supersedes: UUID | None

    @event(Added)
    def __init__(  # id: chosen before the event, as the sealed bytes are bound to it and stored first
        self, id: UUID, actor: Actor, child_id: UUID, record_type: str, record_id: UUID, item: str, category: str,
        text: str | None, filename: str | None, media_type: str | None, size: int | None, digest: str | None,
        supersedes: UUID | None,
    ) -> None:
        self.state = AttachmentState.CURRENT
        self.added_by = actor
        self.child_id = child_id
        self.record_type = record_type
        self.record_id = record_id
        self.item = item
        self.category = Category(category)
        self.text = text
        self.filename = filename
        self.media_type = media_type
        self.size = size
        self.digest = digest
        self.supersedes = supersedes
        self.superseded_by: UUID | None = None

    def supersede(self, actor: Actor, by: Attachment) -> None:
        if self.state == AttachmentState.SUPERSEDED:
            raise GuardViolation(
                "attachment-superseded", "%(item)s %(id)s was already corrected by %(superseded_by)s",
                values={"item": self.item, "id": self.id, "superseded_by": self.superseded_by},
                field="supersedes", status=409,
            )
        if (by.record_type, by.record_id, by.item) != (self.record_type, self.record_id, self.item):
            raise GuardViolation(
                "attachment-supersedes-other", "a correction replaces a %(item)s of the same record", values={"item": self.item},
                field="supersedes",
            )
        self._superseded(actor, by.id)

    @event("Superseded")
    def _superseded(self, actor: Actor, by_id: UUID) -> None:
        self.state = AttachmentState.SUPERSEDED
        self.superseded_by = by_id
