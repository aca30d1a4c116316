"""Notices: what a body must know about a child's file — a notice of the manuals (hub/policy/notices.yaml),
a record opened through the glass, a missed deadline."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.escalation import Escalation
from hub.aggregates.glass_break import GlassBreak
from hub.aggregates.notice import Notice
from hub.records.plan_item import PlanItemRecord, told


class NoticeRecord(BaseModel):
    """Something the bodies in ``to`` must know."""

    id: UUID
    kind: str  # "notice", "break_glass" or "overdue"
    at: datetime
    to: list[str]
    record_type: str
    record_id: UUID
    by_agency: str
    by_user: str
    reason: str | None = None
    # The items of a plan it tells of, for a notice raised on a plan from decision 0060 on, a responsible body's own
    # items only (hub:PLAN-ACTIONS); ``reason`` still ends with them as lines, as it has since 0052.
    plan_items: list[PlanItemRecord] | None = None
    rule: str | None
    until: datetime | None
    # A notice of the manuals: its title and source, where it stands, by when, what was answered.
    title: str | None = None
    source: str | None = None
    state: str | None = None
    urgent: bool | None = None
    answers: list[str] | None = None
    ack_due_at: datetime | None = None
    answer_due_at: datetime | None = None
    acknowledged_at: datetime | None = None
    answer: str | None = None
    answer_reasons: list[str] | None = None
    answer_note: str | None = None
    replies: list[dict[str, str]] | None = None
    # How it reached its recipient, per channel (inbox, topic, email): delivered, failing or undelivered.
    delivery: dict[str, str] | None = None


def glass_break_notice(opening: GlassBreak, to: list[str]) -> dict[str, Any]:
    return NoticeRecord(
        id=opening.id, kind="break_glass", at=opening.created_on, to=to, record_type=opening.record_type,
        record_id=opening.record_id, by_agency=opening.opened_by.agency, by_user=opening.opened_by.user,
        reason=opening.reason, rule="BREAK-GLASS", until=opening.until,
    ).model_dump(mode="json")


def notice_record(notice: Notice) -> dict[str, Any]:
    """``to`` is the recipient alone; an undelivered notice (no body of the kind registered) is to nobody."""
    return NoticeRecord(
        id=notice.id, kind="notice", at=notice.created_on, to=[notice.recipient_agency] if notice.recipient_agency else [],
        record_type=notice.subject_type, record_id=notice.subject_id, by_agency=notice.sender_agency,
        by_user=notice.actor_user, reason=told(notice.message, notice.plan_items), plan_items=notice.plan_items or None,
        rule=notice.rule, until=notice.due_at(), title=notice.title, source=notice.source,
        state=str(notice.state), urgent=notice.urgent, answers=notice.answers, ack_due_at=notice.ack_due_at,
        answer_due_at=notice.answer_due_at, acknowledged_at=notice.acknowledged_at, answer=notice.answer,
        answer_reasons=notice.answer_reasons or None, answer_note=notice.answer_note, replies=notice.replies or None,
        delivery=notice.delivery_status() or None,
    ).model_dump(mode="json", exclude_none=True)


def overdue_notice(escalation: Escalation) -> dict[str, Any]:
    return NoticeRecord(
        id=escalation.id, kind="overdue", at=escalation.created_on, to=escalation.notify,
        record_type=escalation.subject_type, record_id=escalation.subject_id, by_agency="hub", by_user="hub",
        reason=f"{escalation.title}: due {escalation.due_at.isoformat()}", rule=f"{escalation.deadline_id}: {escalation.rule}",
        until=None,
    ).model_dump(mode="json")
