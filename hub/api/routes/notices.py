"""/v1/notices: a body reads the notices addressed to it and answers them; their sender replies or withdraws.

The table at the end pairs each path with its body, its permission and its service command (see
hub.api.routes.commands). Who may answer which notice is checked on the notice itself: to any
other body it does not exist.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from hub.api.auth import Caller, permitted
from hub.api.deps import Notices, Reads
from hub.api.problems import problem_responses
from hub.api.routes.commands import Run, command_route
from hub.api.schemas import notices as s
from hub.records.notice import NoticeRecord
from hub.records.partial import partial

router = APIRouter(prefix="/v1/notices", tags=["notices"])
VisibleNotice = partial(NoticeRecord)


@router.get(
    "/{notice_id}", response_model=VisibleNotice, response_model_exclude_unset=True,
    responses=problem_responses(401, 403, 404, 422),
)
def read(notice_id: UUID, caller: Annotated[Caller, Depends(permitted("notice.read"))], reads: Reads) -> Any:
    return reads.show(caller.actor, "notice", notice_id)


def _command(path: str, body_type: type[BaseModel], permission: str, run: Run, summary: str) -> None:
    command_route(router, path, "notice_id", body_type, permission, Notices, run, summary, VisibleNotice)


_command("/{notice_id}/acknowledge", s.AcknowledgeNotice, "notice.acknowledge",
         lambda h, a, n, b, r: h.acknowledge(a, n, reply=r), "Acknowledge a notice")
_command("/{notice_id}/answer", s.AnswerNotice, "notice.answer",
         lambda h, a, n, b, r: h.answer(a, n, b.answer, b.reasons, b.note, reply=r), "Answer a notice")
_command("/{notice_id}/reply", s.ReplyToNotice, "notice.reply",
         lambda h, a, n, b, r: h.reply_to_question(a, n, b.text, reply=r), "Reply to a question about a notice")
_command("/{notice_id}/withdraw", s.WithdrawNotice, "notice.withdraw",
         lambda h, a, n, b, r: h.withdraw(a, n, b.reason, reply=r), "Withdraw a notice sent in error")
