"""A notice's clocks: to acknowledge it, then to answer it, each from hub/policy/notices.yaml.

Both start when the notice is created; their due times were fixed then (in Kazakh working or
calendar time, as the manual counts) and travel with the notice, so a later change of the table
does not move a clock already running. A withdrawn notice has no clocks left: its sender took it
back.
"""

from __future__ import annotations

from datetime import datetime

from hub.aggregates.notice import Answer, Notice, NoticeState
from hub.deadlines.clock import Clock, due_soon_from, status_of
from hub.deadlines.clocks import default_calendar
from hub.deadlines.table import packaged_table
from hub.notices.table import packaged_notices

ACKNOWLEDGE, ANSWER = 1, 2  # the clocks' occurrences: one escalation each


def notice_clocks(notice: Notice, now: datetime) -> list[Clock]:
    if notice.state == NoticeState.WITHDRAWN or notice.created_on > now:
        return []
    answered = notice.answered_at if notice.state == NoticeState.ANSWERED else None
    clocks = [
        _clock(notice, ACKNOWLEDGE, f"Acknowledge: {notice.title}", notice.ack_due_at, notice.acknowledged_at, now),
        _clock(notice, ANSWER, f"Answer: {notice.title}", notice.answer_due_at, answered, now),
    ]
    return sorted((c for c in clocks if c is not None), key=lambda c: (c.due_at, c.occurrence))


def _clock(
    notice: Notice, occurrence: int, title: str, due: datetime | None, met: datetime | None, now: datetime
) -> Clock | None:
    if due is None:
        return None
    met = met if met is not None and met <= now else None
    calendar = default_calendar()
    fraction = packaged_table().due_soon_fraction
    return Clock(
        id=notice.rule,
        title=title,
        rule=notice.source,
        who=f"{notice.recipient_agency or notice.recipient_kind} ({notice.recipient_role or 'any role'})",
        limit=_limit_of(notice, occurrence),
        subject="notice",
        subject_id=notice.id,
        started_at=calendar.local(notice.created_on),
        due_at=calendar.local(due),
        due_soon_at=calendar.local(due_soon_from(notice.created_on, due, fraction)),
        met_at=calendar.local(met) if met is not None else None,
        status=status_of(notice.created_on, due, met, now, fraction),
        occurrence=occurrence,
    )


def _limit_of(notice: Notice, occurrence: int) -> str:
    """The manual's limit in words ("1 hour", "3 working days"), as the table gave it."""
    table = packaged_notices()
    entry = table.by_id(notice.rule)
    limit = table.acknowledge_limit(entry) if occurrence == ACKNOWLEDGE else table.answer_limit(entry)
    return str(limit) if limit is not None else "as the manual says"


def is_question_open(notice: Notice) -> bool:
    """The recipient asked the sender something and the sender has not replied yet."""
    return notice.answer == Answer.INFORMATION_REQUESTED and notice.is_open
