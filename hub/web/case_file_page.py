"""The case page's note and upload forms and its download links (docs/decisions/0052): each runs the service the
API's routes run (hub/api/routes/attachments.py), with the same permission, checks and recorded reads; a refusal
shows the case page again with what was typed and the refusal in words.
"""

from __future__ import annotations

import re
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from hub.aggregates.attachment import Category
from hub.api.body_limit import BodyTooLarge
from hub.api.deps import Attachments
from hub.api.routes.attachments import downloaded
from hub.errors import HubError
from hub.services.attachments import AttachmentService, Upload
from hub.web import case_file
from hub.web.case_file import Filing
from hub.web.case_page import Services, case_view
from hub.web.guard import SignedIn, back, check
from hub.web.refusals import said
from hub.web.rendering import translate

router = APIRouter(prefix="/ui", include_in_schema=False)

UPLOAD_PATH = re.compile(r"^/ui/cases/[^/]+/files$")  # its body may be as large as a file and the form's words
FORM_MARGIN = 64 * 1024  # the form's other fields and the multipart framing, beside the file


def _refused(request: Request, error: HubError, attachments: AttachmentService) -> str:
    message = case_file.refusal_message(error)
    if message is None:
        return said(request, error)
    settings = attachments.settings
    return translate(request, message, limit=case_file.megabytes(settings.max_bytes), types=", ".join(sorted(settings.types)))


@router.post("/cases/{case_id}/notes")
def add_note(
    request: Request,
    case_id: UUID,
    caller: SignedIn,
    services: Services,
    csrf: Annotated[str, Form()],
    on: Annotated[str, Form()],
    text: Annotated[str, Form()] = "",
    category: Annotated[Category, Form()] = Category.GENERAL,
) -> Response:
    signed = check(caller, request, csrf, "attachment.add")
    record_type, record_id = case_file.target(services.reads.show(signed.actor, "case", case_id, purpose="web"), on)
    filing = Filing("note", {"on": on, "text": text, "category": str(category)})
    if not text.strip():
        filing.errors["text"] = translate(request, case_file.NO_TEXT)
        return case_view(request, signed, case_id, services, filing=filing)
    try:
        services.attachments.add_note(signed.actor, record_type, record_id, text, category)
    except HubError as refusal:
        filing.errors["text"] = _refused(request, refusal, services.attachments)
        return case_view(request, signed, case_id, services, filing=filing)
    return back(f"/ui/cases/{case_id}#files-heading")


@router.post("/cases/{case_id}/files")
async def add_file(request: Request, case_id: UUID, caller: SignedIn, services: Services) -> Response:
    signed = check(caller, request, None, "attachment.add")
    attachments = services.attachments
    try:
        posted = await request.form(max_files=1, max_fields=8)
    except BodyTooLarge:  # nothing of the form could be read: the refusal alone
        filing = Filing("file", {"on": "", "description": "", "category": ""})
        filing.errors["file"] = translate(request, case_file.REFUSALS["body-too-large"],
                                          limit=case_file.megabytes(attachments.settings.max_bytes))
        return case_view(request, signed, case_id, services, filing=filing)
    check(signed, request, str(posted.get("csrf", "")), None)
    on, description = str(posted.get("on", "")), str(posted.get("description", "")).strip()
    category = str(posted.get("category", Category.GENERAL))
    record_type, record_id = case_file.target(services.reads.show(signed.actor, "case", case_id, purpose="web"), on)
    filing = Filing("file", {"on": on, "description": description, "category": category})
    sent = posted.get("file")
    if not isinstance(sent, UploadFile) or not sent.filename:
        filing.errors["file"] = translate(request, case_file.NO_FILE)
        return case_view(request, signed, case_id, services, filing=filing)
    if category not in case_file.CATEGORIES:
        filing.errors["category"] = translate(request, "Choose one of the options.")
        return case_view(request, signed, case_id, services, filing=filing)
    upload = Upload(await sent.read(), sent.filename, sent.content_type, description or None)
    try:
        await run_in_threadpool(attachments.add_file, signed.actor, record_type, record_id, upload, Category(category))
    except HubError as refusal:
        filing.errors["file"] = _refused(request, refusal, attachments)
        return case_view(request, signed, case_id, services, filing=filing)
    return back(f"/ui/cases/{case_id}#files-heading")


@router.get("/files/{attachment_id}")
def download(request: Request, attachment_id: UUID, caller: SignedIn, attachments: Attachments) -> Response:
    """A file's bytes for a reader the policy shows its content; the read recorded as the API's download."""
    if caller is None:
        return back("/ui/login")
    signed = check(caller, request, None, "attachment.read")
    return downloaded(attachments.download(signed.actor, attachment_id), attachment_id)
