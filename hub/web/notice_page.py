"""A notice's page: what its recipient or sender may see of it, and the answers each may give.

The recipient acknowledges it and answers it with one of the answers it allows; its sender replies to
a question about it or withdraws it. The forms are the notice commands of the API (hub/api/routes/notices.py).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hub.aggregates.notice import Answer
from hub.api.auth import Caller
from hub.api.deps import Reads
from hub.records.plan_item import besides_items
from hub.web import command_forms, words
from hub.web.guard import SignedIn, back, check
from hub.web.i18n import translations
from hub.web.rendering import language, page

router = APIRouter(prefix="/ui", include_in_schema=False)
OPEN = ("created", "acknowledged")


def _answers(notice: dict[str, Any]) -> list[str]:
    """The answers the notice allows that are answers of the form; acknowledging is a form of its own."""
    return [a for a in notice.get("answers") or [] if a in set(Answer)]


def _leave_out(caller: Caller, notice: dict[str, Any]) -> frozenset[str]:
    """The commands that do not apply: a recipient does not withdraw, a sender does not answer."""
    if notice.get("state") not in OPEN:
        return frozenset(command_forms.commands_of("notices"))
    recipient = caller.agency.code in notice.get("to", [])
    out = {"reply", "withdraw"} if recipient else {"acknowledge", "answer"}
    if notice.get("state") != "created":
        out.add("acknowledge")
    if not _answers(notice):
        out.add("answer")
    return frozenset(out)


def notice_view(request: Request, caller: Caller, notice_id: UUID, reads: Any,
                failed: command_forms.Form | None = None) -> Response:
    shown = reads.show(caller.actor, "notice", notice_id, purpose="web")
    notice = {**shown, "reason": besides_items(shown.get("reason"), shown.get("plan_items") or [])}  # the items: a table
    say = translations(language(request)).gettext
    forms = command_forms.offered(caller, "notices", _leave_out(caller, notice), frozenset({"acknowledge", "answer"}),
                                  failed=failed)
    answers = {"answer": [(a, say(words.option_name(a))) for a in _answers(notice)]}
    return page(request, "notice.html", caller, status=200 if failed is None else 422, notice=notice, forms=forms,
                answers=answers, words=words, say=say)


@router.get("/notices/{notice_id}", response_class=HTMLResponse)
def notice(request: Request, notice_id: UUID, caller: SignedIn, reads: Reads) -> Response:
    if caller is None:
        return back("/ui/login")
    return notice_view(request, caller, notice_id, reads)


@router.post("/notices/{notice_id}/act/{action}", response_class=HTMLResponse)
async def act(request: Request, notice_id: UUID, action: str, caller: SignedIn, reads: Reads) -> Response:
    signed = check(caller, request, None, None)
    failed = await command_forms.run(request, signed, "notices", notice_id, action)
    if failed is None:
        return back(f"/ui/notices/{notice_id}")
    return notice_view(request, signed, notice_id, reads, failed)
