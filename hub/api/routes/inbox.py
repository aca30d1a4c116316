"""/v1/inbox: each body's queues of what it must act on (referrals, cases, notices) and of the missed deadlines
it is told of, with their running deadlines."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from hub import clock
from hub.api.auth import Caller, permitted
from hub.api.deps import Inbox
from hub.api.problems import problem_responses
from hub.inbox.item import InboxItem
from hub.services.inbox import MAX_PAGE

router = APIRouter(tags=["inbox"])


class Deadline(BaseModel):
    id: str = Field(..., description="the manual's deadline id, e.g. D12")
    title: str
    rule: str = Field(..., description="the rule of the manual that sets it")
    due_at: datetime
    status: Literal["running", "due_soon", "overdue"] = Field(
        ..., description="due_soon: at most due_soon_fraction (deadlines.yaml) of the clock's own span is left"
    )


class Item(BaseModel):
    item_type: Literal["referral", "case", "notice", "escalation", "undelivered"] = Field(
        ..., description="escalation: another body's missed deadline this body is told of; undelivered: a notice "
        "this body sent or manages that a channel gave up on (docs/decisions/0036)"
    )
    item_id: str
    child_id: str
    child_name: str | None
    state: str
    social_worker: str | None
    risk_level: Literal["low", "medium", "high"] | None = Field(
        None, description="a case's risk level (docs/decisions/0042); its reasons are in the case"
    )
    awaiting: str | None = Field(..., description="the other body the item waits on; for an escalation, the one that must act")
    deadline: Deadline | None
    updated_at: datetime


class InboxPage(BaseModel):
    items: list[Item]
    next_cursor: str | None = Field(None, description="pass as ?cursor= for the next page")


def _item(item: InboxItem, now: datetime) -> Item:
    deadline = None
    status = item.status(now)
    if status is not None and item.deadline_id:
        deadline = Deadline(id=item.deadline_id, title=item.deadline_title or "", rule=item.deadline_rule or "",
                            due_at=datetime.fromisoformat(item.due_at), status=status)
    return Item(
        item_type=item.item_type, item_id=item.item_id, child_id=item.child_id, child_name=item.child_name,
        state=item.state, social_worker=item.social_worker, risk_level=item.risk_level, awaiting=item.awaiting, deadline=deadline,
        updated_at=datetime.fromisoformat(item.updated_at),
    )


@router.get("/v1/inbox", response_model=InboxPage, responses=problem_responses(401, 403, 422))
def inbox(
    *,
    queue: Literal[
        "all", "new", "mine", "team", "cases", "notices", "escalated", "undelivered", "due_soon", "overdue", "awaiting"
    ] = "all",
    sort: Annotated[Literal["due_at", "updated_at", "urgency", "risk"], Query(
        description="urgency: every item due soon or overdue before every one still running (decision 0048); "
        "risk: by the case's risk level (with order=desc, high first; decision 0042)"
    )] = "due_at",
    risk: Annotated[Literal["low", "medium", "high"] | None, Query(description="only cases of this risk level")] = None,
    order: Literal["asc", "desc"] = "asc",
    limit: int = Query(50, ge=1, le=MAX_PAGE),
    cursor: str | None = Query(None, max_length=500),
    caller: Annotated[Caller, Depends(permitted("inbox.read"))],
    inbox: Inbox,
) -> InboxPage:
    page = inbox.inbox(caller.actor, queue, sort, order == "desc", limit, cursor, risk)
    now = clock.now()
    return InboxPage(items=[_item(i, now) for i in page.items], next_cursor=page.next_cursor)
