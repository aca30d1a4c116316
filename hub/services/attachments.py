"""Notes and files attached to a child, a referral or a case (docs/decisions/0047).

A body adds one to a record it may read, and only one it may then read itself: the privacy policy
decides both (privacy.yaml ``note``, ``attachment``), so a medical note is refused to a body the
policy does not show medical notes to. A file's bytes are sniffed, limited, scanned, sealed with the
child's key and stored before the event that records them; every read is recorded, and a body not
entitled is answered as if there were nothing there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from cryptography.exceptions import InvalidTag

from hub.actor import Actor
from hub.aggregates.access_record import AccessRecord
from hub.aggregates.attachment import FILE, NOTE, Attachment, Category
from hub.aggregates.case import Case
from hub.aggregates.child import Child
from hub.aggregates.referral import Referral
from hub.attachments.blobs import BlobStore
from hub.attachments.errors import AttachmentDamaged, AttachmentEmpty, AttachmentTooLarge, AttachmentTypeRefused
from hub.attachments.scan import VirusScan
from hub.attachments.sealing import FileSealer, digest
from hub.attachments.settings import AttachmentSettings
from hub.attachments.sniff import sniffed_type
from hub.crypto.keys import ChildErased
from hub.errors import GuardViolation, NotFound
from hub.services.aggregates import Aggregates
from hub.services.answers import AnswerService
from hub.services.commit import Commit, Reply
from hub.services.conflicts import retry_on_conflict
from hub.services.reads import ReadService

ABOUT: dict[str, type] = {"child": Child, "referral": Referral, "case": Case}


@dataclass(frozen=True)
class Upload:
    """A file as it was sent: its bytes and what the sender says of them."""

    data: bytes
    filename: str
    declared_type: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Download:
    record: dict[str, Any]  # the attachment as the caller may see it
    data: bytes


class AttachmentService:
    def __init__(
        self, aggregates: Aggregates, answers: AnswerService, reads: ReadService, commit: Commit, blobs: BlobStore,
        sealer: FileSealer, scan: VirusScan, settings: AttachmentSettings,
    ) -> None:
        self.aggregates = aggregates
        self.answers = answers
        self.reads = reads
        self.commit = commit
        self.blobs = blobs
        self.sealer = sealer
        self.scan = scan
        self.settings = settings

    # -- adding ------------------------------------------------------------------------------------

    def add_note(
        self, actor: Actor, record_type: str, record_id: UUID, text: str, category: Category = Category.GENERAL,
        supersedes: UUID | None = None, reply: Reply | None = None,
    ) -> Attachment:
        return self._add(actor, record_type, record_id, NOTE, category, supersedes, reply, text=text)

    def add_file(
        self, actor: Actor, record_type: str, record_id: UUID, upload: Upload, category: Category = Category.GENERAL,
        supersedes: UUID | None = None, reply: Reply | None = None,
    ) -> Attachment:
        """The file is checked before anything is stored: size, type by its bytes, the virus scan."""
        media_type = self.accepted_type(upload)
        return self._add(
            actor, record_type, record_id, FILE, category, supersedes, reply, upload=upload, media_type=media_type,
        )

    def accepted_type(self, upload: Upload) -> str:
        size = len(upload.data)
        if size > self.settings.max_bytes:
            raise AttachmentTooLarge(size, self.settings.max_bytes)
        if size == 0:
            raise AttachmentEmpty()
        found = sniffed_type(upload.data)
        allowed = ", ".join(sorted(self.settings.types))
        if found is None or found not in self.settings.types:
            raise AttachmentTypeRefused(
                f"the file's content is {found or 'of no known type'}; accepted: {allowed}"
            )
        declared = (upload.declared_type or "").partition(";")[0].strip().lower()
        if declared and declared not in (found, "application/octet-stream"):
            raise AttachmentTypeRefused(f"the file was sent as {declared} but its content is {found}")
        self.scan.check(upload.data)
        return found

    @retry_on_conflict
    def _add(
        self, actor: Actor, record_type: str, record_id: UUID, item: str, category: Category,
        supersedes: UUID | None, reply: Reply | None, text: str | None = None, upload: Upload | None = None,
        media_type: str | None = None,
    ) -> Attachment:
        about, looked_at = self._readable(actor, record_type, record_id)
        child_id = about.id if isinstance(about, Child) else about.child_id
        attachment_id = uuid4()
        sealed = None if upload is None else self.sealer.seal(child_id, attachment_id, upload.data)
        attachment = Attachment(
            id=attachment_id, actor=actor, child_id=child_id, record_type=record_type, record_id=record_id, item=item,
            category=str(category), text=upload.description if upload is not None else text,
            filename=None if upload is None else upload.filename, media_type=media_type,
            size=None if upload is None else len(upload.data), digest=None if sealed is None else digest(sealed),
            supersedes=supersedes,
        )
        changed: list[Any] = [looked_at]
        if supersedes is not None:
            changed.append(self._superseded(actor, supersedes, attachment))
        self._require_readable_once_added(actor, attachment, changed)
        if sealed is not None:
            # Before the event: an event never names bytes that are not stored. A failed save leaves sealed
            # bytes no event names, unreadable once the child is erased (decision 0047).
            self.blobs.put(child_id, attachment_id, sealed)
        self.commit(actor, attachment, *changed, reply=reply)
        return attachment

    def _readable(self, actor: Actor, record_type: str, record_id: UUID) -> tuple[Any, AccessRecord]:
        """The record to attach to, and the caller's read of it; not found unless the caller may read it."""
        kind = ABOUT.get(record_type)
        about = self.aggregates.find(record_id) if kind is not None else None
        if not isinstance(about, kind or ()):
            raise self.reads.denied(actor, record_type, record_id, None, "attach")
        visible, read = self.answers.judge(actor, about, [], "attach")
        if visible is None:
            self.aggregates.save(read)
            raise NotFound(f"no {record_type} {record_id}")
        return about, read

    def _superseded(self, actor: Actor, old_id: UUID, new: Attachment) -> Attachment:
        old = self.aggregates.find(old_id)
        if not isinstance(old, Attachment) or self.answers.judge(actor, old, [], "correct")[0] is None:
            raise NotFound(f"no {new.item.replace('attachment', 'file')} {old_id}")
        old.supersede(actor, new)
        return old

    def _require_readable_once_added(self, actor: Actor, attachment: Attachment, changed: list[Any]) -> None:
        if self.answers.judge(actor, attachment, [attachment, *changed], "add")[0] is None:
            raise GuardViolation(
                "attachment-not-yours",
                "a %(category)s %(item)s on this record would be one your body may not read (medical notes and files: the centre "
                "managing the child and the health body examining it)",
                values={"category": attachment.category, "item": attachment.item},
                field="category", status=403,
            )

    # -- reading -----------------------------------------------------------------------------------

    def of_record(self, actor: Actor, record_type: str, record_id: UUID) -> list[dict[str, Any]]:
        """The notes and files of a record the caller may read, each as it may see it, oldest first; every
        read recorded in one transaction. A record the caller may not read is not found."""
        if record_type not in ABOUT:
            raise NotFound(f"no {record_type} {record_id}")
        self.reads.show(actor, record_type, record_id, purpose="list attachments")
        child_id = self.reads.child_of_record(record_type, record_id)
        stored = self.reads.views.store.rows_of_child(child_id) if child_id is not None else []
        rows = [
            row for row in stored if row.agency == actor.agency and row.record_type in (NOTE, FILE)
            and row.body.get("record_id") == str(record_id)
        ]
        judged = [(row.record_type, *self.reads.judged(actor, row.record_type, UUID(row.record_id), row, "list")) for row in rows]
        self.aggregates.save(*(read for _, _, read in judged))
        listed = [{"record_type": kind, "record": visible} for kind, visible, _ in judged if visible is not None]
        return sorted(listed, key=lambda each: str(each["record"].get("added_at", "")))

    def download(self, actor: Actor, attachment_id: UUID) -> Download:
        """The file's bytes, for a caller the policy shows its ``content``; gone once the child is erased."""
        record = self.reads.show(actor, FILE, attachment_id, purpose="download")
        child_id = self.reads.child_of_record(FILE, attachment_id)
        if "content" not in record or child_id is None:
            raise NotFound(f"no attachment {attachment_id}")
        sealed = self.blobs.get(child_id, attachment_id)
        if sealed is None:
            if self.aggregates.store.child_keys.is_shredded(child_id):
                raise ChildErased(child_id)
            raise NotFound(f"no attachment {attachment_id}")
        if record.get("digest") not in (None, digest(sealed)):
            raise AttachmentDamaged(attachment_id)
        try:
            return Download(record, self.sealer.open(child_id, attachment_id, sealed))
        except InvalidTag:
            raise AttachmentDamaged(attachment_id) from None
