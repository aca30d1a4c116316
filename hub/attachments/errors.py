"""Why a file was refused: each its own problem type, so a page can say what to do."""

from __future__ import annotations

from hub.errors import HubError


class AttachmentTooLarge(HubError):
    problem_type = "attachment-too-large"
    title = "File too large"
    status = 413

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the file is {size} bytes; files of at most {limit} bytes are accepted", limit=limit)


class AttachmentTypeRefused(HubError):
    problem_type = "attachment-type-refused"
    title = "File type not accepted"
    status = 415

    def __init__(self, detail: str) -> None:
        super().__init__(detail)


class AttachmentEmpty(HubError):
    problem_type = "attachment-empty"
    title = "Empty file"
    status = 422

    def __init__(self) -> None:
        super().__init__("the file is empty", field="body")


class AttachmentInfected(HubError):
    problem_type = "attachment-infected"
    title = "File refused by the virus scan"
    status = 422

    def __init__(self) -> None:
        super().__init__("the virus scan found the file infected: it was not stored", field="body")


class ScanUnavailable(HubError):
    problem_type = "attachment-scan-unavailable"
    title = "Virus scan unavailable"
    status = 503

    def __init__(self, why: str) -> None:
        super().__init__(f"the virus scan could not check the file ({why}): it was not stored; try again shortly")


class AttachmentDamaged(HubError):
    """The stored bytes are not those the attachment's event recorded: altered or lost in the store."""

    problem_type = "attachment-damaged"
    title = "Stored file damaged"
    status = 500

    def __init__(self, attachment_id: object) -> None:
        super().__init__(f"the stored bytes of attachment {attachment_id} do not match its digest")
