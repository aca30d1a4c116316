"""Notes and files on a child, a referral or a case (docs/decisions/0047).

- ``POST /v1/{children|referrals|cases}/{id}/notes``: a note (JSON);
- ``POST /v1/{children|referrals|cases}/{id}/attachments``: a file, as the raw request body, its name and
  the rest as query parameters (a page's form posts it as sent: no multipart to parse and buffer twice);
- ``GET /v1/{children|referrals|cases}/{id}/attachments``: the notes and files of the record the caller may see;
- ``GET /v1/attachments/{id}/content``: a file's bytes; ``GET /v1/records/{note|attachment}/{id}``: one of them.
"""

# No ``from __future__ import annotations``: each route's record id is annotated with its own path name,
# evaluated when the route is made.
import re
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from hub.aggregates.attachment import Category
from hub.api.auth import Caller, permitted
from hub.api.deps import Attachments
from hub.api.problems import problem_responses
from hub.api.replies import answered
from hub.api.routes.records import VisibleRecord
from hub.records.attachment import AttachmentRecord, NoteRecord
from hub.records.partial import partial
from hub.services.attachments import Download, Upload
from hub.services.commit import Reply
from hub.text import Line, Text

VisibleNote = partial(NoteRecord)
VisibleAttachment = partial(AttachmentRecord)
router = APIRouter(tags=["attachments"])
ERRORS = problem_responses(400, 401, 403, 404, 409, 410, 413, 422)
UPLOAD_ERRORS = problem_responses(400, 401, 403, 404, 409, 410, 413, 415, 422, 503)
COLLECTIONS = {"children": "child", "referrals": "referral", "cases": "case"}


def _record_id(record_type: str) -> Any:
    """The record's id, named in the path as the API names it elsewhere (/v1/cases/{case_id}...)."""
    return Annotated[UUID, Path(alias=f"{record_type}_id")]
UPLOAD_PATH = re.compile(r"^/v1/(children|referrals|cases)/[^/]+/attachments$")  # bodies up to the file limit


class AddNote(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: Annotated[str, Text(20000)]
    category: Category = Field(Category.GENERAL, description="medical: seen by the managing centre and the examiner")
    supersedes: UUID | None = Field(None, description="the note this one corrects; notes are never edited")


def _note_route(collection: str, record_type: str) -> Callable[..., Any]:
    def add_note(
        record_id: _record_id(record_type),  # type: ignore[valid-type]  # made per route
        body: AddNote,
        caller: Annotated[Caller, Depends(permitted("attachment.add"))],
        attachments: Attachments,
        response: Response,
    ) -> Any:
        reply = Reply("add note")
        attachments.add_note(caller.actor, record_type, record_id, body.text, body.category, body.supersedes, reply)
        return answered(reply, response)

    add_note.__name__ = f"add_note_to_{record_type}"
    return add_note


def _upload_route(collection: str, record_type: str) -> Callable[..., Any]:
    def add_attachment(
        request: Request,
        record_id: _record_id(record_type),  # type: ignore[valid-type]  # made per route
        filename: Annotated[str, Line(255), Query(description="the file's name, as its sender knows it")],
        caller: Annotated[Caller, Depends(permitted("attachment.add"))],
        attachments: Attachments,
        response: Response,
        # optional, so that an empty file is refused as one (attachment-empty), not as a missing body
        data: Annotated[bytes, Body(media_type="application/octet-stream", description="the file, as it is")] = b"",
        category: Category = Category.GENERAL,
        description: Annotated[str | None, Text(2000), Query()] = None,
        supersedes: Annotated[UUID | None, Query(description="the file this one corrects")] = None,
    ) -> Any:
        reply = Reply("add attachment")
        upload = Upload(data, filename, request.headers.get("content-type"), description)
        attachments.add_file(caller.actor, record_type, record_id, upload, category, supersedes, reply)
        return answered(reply, response)

    add_attachment.__name__ = f"add_attachment_to_{record_type}"
    return add_attachment


def _list_route(collection: str, record_type: str) -> Callable[..., Any]:
    def list_attachments(
        record_id: _record_id(record_type),  # type: ignore[valid-type]  # made per route
        caller: Annotated[Caller, Depends(permitted("attachment.read"))],
        attachments: Attachments,
    ) -> Any:
        return attachments.of_record(caller.actor, record_type, record_id)

    list_attachments.__name__ = f"list_attachments_of_{record_type}"
    return list_attachments


for _collection, _record_type in COLLECTIONS.items():
    _path = f"/v1/{_collection}/{{{_record_type}_id}}"
    router.add_api_route(
        f"{_path}/notes", _note_route(_collection, _record_type), methods=["POST"], status_code=201,
        response_model=VisibleNote, response_model_exclude_unset=True, responses=ERRORS,
        summary=f"Add a note to a {_record_type}",
    )
    router.add_api_route(
        f"{_path}/attachments", _upload_route(_collection, _record_type), methods=["POST"], status_code=201,
        response_model=VisibleAttachment, response_model_exclude_unset=True, responses=UPLOAD_ERRORS,
        summary=f"Attach a file to a {_record_type}",
        description="The request body is the file. Its type is read from its bytes (HUB_ATTACHMENT_TYPES), its"
        " size limited (HUB_ATTACHMENT_MAX_BYTES) and it is virus-scanned before it is accepted.",
    )
    router.add_api_route(
        f"{_path}/attachments", _list_route(_collection, _record_type), methods=["GET"],
        response_model=list[VisibleRecord], responses=problem_responses(401, 403, 404, 410, 422),
        summary=f"The notes and files of a {_record_type} the caller may see",
    )


@router.get(
    "/v1/attachments/{attachment_id}/content",
    response_class=Response,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "the file, as its stored type"},
        **problem_responses(401, 403, 404, 410, 422),
    },
    summary="Download a file",
)
def content(
    attachment_id: UUID,
    caller: Annotated[Caller, Depends(permitted("attachment.read"))],
    attachments: Attachments,
) -> Response:
    return downloaded(attachments.download(caller.actor, attachment_id), attachment_id)


def downloaded(download: Download, attachment_id: UUID) -> Response:
    """A file's bytes as the answer, over the API and in the pages alike."""
    name = str(download.record.get("filename") or attachment_id)
    fallback = name.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return Response(
        download.data,
        media_type=str(download.record["media_type"]),
        headers={
            # Never shown in the page: a stored file is opened by the reader's own program, as the type it was checked to be.
            "Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}",
            "X-Content-Type-Options": "nosniff",
        },
    )
