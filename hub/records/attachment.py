"""The note and attachment records: what a body is shown of a note or a file attached to a record."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.attachment import NOTE, Attachment, AttachmentState, Category


class NoteRecord(BaseModel):
    """A note on a child, a referral or a case; a correction supersedes it, nothing edits it."""

    id: UUID
    child_id: UUID
    record_type: str
    record_id: UUID
    category: Category
    state: AttachmentState
    added_at: datetime
    added_by_agency: str
    added_by_user: str
    text: str
    supersedes: UUID | None
    superseded_by: UUID | None


class AttachmentRecord(BaseModel):
    """A file attached to a child, a referral or a case: its bytes are at ``content``."""

    id: UUID
    child_id: UUID
    record_type: str
    record_id: UUID
    category: Category
    state: AttachmentState
    added_at: datetime
    added_by_agency: str
    added_by_user: str
    filename: str
    description: str | None
    media_type: str
    size: int
    digest: str
    content: str  # where to download it
    supersedes: UUID | None
    superseded_by: UUID | None


def content_path(attachment_id: UUID) -> str:
    return f"/v1/attachments/{attachment_id}/content"


def attachment_record(attachment: Attachment) -> dict[str, Any]:
    common: dict[str, Any] = {
        "id": attachment.id,
        "child_id": attachment.child_id,
        "record_type": attachment.record_type,
        "record_id": attachment.record_id,
        "category": attachment.category,
        "state": attachment.state,
        "added_at": attachment.created_on,
        "added_by_agency": attachment.added_by.agency,
        "added_by_user": attachment.added_by.user,
        "supersedes": attachment.supersedes,
        "superseded_by": attachment.superseded_by,
    }
    if attachment.item == NOTE:
        return NoteRecord.model_validate({**common, "text": attachment.text}).model_dump(mode="json")
    return AttachmentRecord.model_validate({
        **common, "filename": attachment.filename, "description": attachment.text, "media_type": attachment.media_type,
        "size": attachment.size, "digest": attachment.digest, "content": content_path(attachment.id),
    }).model_dump(mode="json")
