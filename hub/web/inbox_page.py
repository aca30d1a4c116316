"""The inbox page: the caller's queues, each row with its running deadline."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from hub import clock
from hub.api.deps import Inbox
from hub.inbox.item import NO_DEADLINE
from hub.web import labels
from hub.web.guard import SignedIn, back, check
from hub.web.rendering import page

router = APIRouter(prefix="/ui", include_in_schema=False)
QUEUES = list(labels.QUEUES)


@router.get("/inbox", response_class=HTMLResponse)
def inbox(
    request: Request,
    caller: SignedIn,
    inbox: Inbox,
    queue: str = "new",
    cursor: str | None = None,
) -> Response:
    if caller is None:
        return back("/ui/login")
    check(caller, request, None, "inbox.read")
    queue = queue if queue in QUEUES else "new"  # the page names its queue too: an unknown one has no name
    listing = inbox.inbox(caller.actor, queue, "urgency", False, 50, cursor)  # due soon and overdue first
    now = clock.now()
    items = []
    for item in listing.items:
        due = datetime.fromisoformat(item.due_at) if item.due_at != NO_DEADLINE else None
        items.append({**vars(item), "due": due, "status": item.status(now)})
    return page(request, "inbox.html", caller, queue=queue, queues=QUEUES, items=items, next_cursor=listing.next_cursor)
