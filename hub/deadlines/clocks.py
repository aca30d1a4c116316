"""The deadline clocks of a case or of a referral not yet allocated, as of a given moment.

Pure functions of aggregates rebuilt from events and of ``now``: the start and
stop of every clock are event timestamps (:mod:`hub.deadlines.spans`), the
limits come from hub/policy/deadlines.yaml, and the arithmetic from
:class:`~hub.deadlines.calendar.WorkingCalendar`. Replaying the log therefore
gives the same clocks.

- ``case_clocks(case, referrals, now)``: every clock of the case, running or
  past, one per period for repeating deadlines (reviews every 30 days...).
- ``referral_clocks(referral, now, recipient_kind=...)``: the 24-hour intake
  clocks of a referral a CAM/CSC has received and not yet decided on (once it
  is accepted, the case carries them); an NGO's decision clock (NGO-D03); a GTA's acknowledgement (GTA-ACK).
- ``next_due(clocks)``: the open clock that falls due first (for an inbox).

Starts, stops and ends later than ``now`` are ignored, so a clock can be asked
"as of" an earlier moment (as far as the case's latest attributes still tell). A closed case's clocks stop at closure: a
clock still unmet then is reported overdue if its time had run out, and
dropped if it had not (closure discharged it).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache

from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import CaseState
from hub.aggregates.notice import Notice
from hub.aggregates.referral import OPEN as OPEN_REFERRAL
from hub.aggregates.referral import Referral
from hub.aggregates.vocabulary import CASE_MANAGING_BODIES
from hub.deadlines.calendar import WorkingCalendar
from hub.deadlines.clock import Clock, ClockStatus, due_soon_from, status_of
from hub.deadlines.spans import SPANS, CaseFacts, Span, intake_met
from hub.deadlines.table import Deadline, DeadlineTable, packaged_table


@cache
def default_calendar() -> WorkingCalendar:
    """The deployment's calendar (``HUB_HOLIDAYS_COUNTRY``, ``HUB_TIMEZONE``), read once."""
    return WorkingCalendar.from_env()


def case_clocks(
    case: Case,
    referrals: Iterable[Referral],
    now: datetime,
    *,
    notices: Iterable[Notice] = (),
    table: DeadlineTable | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[Clock]:
    """The case's clocks as of ``now``, ordered by due time.

    ``referrals`` must include the referral that opened the case (its receipt
    starts the intake and initial-assessment clocks); others are ignored.
    """
    opening = next((r for r in referrals if r.id == case.referral_ids[0]), None)
    if opening is None:
        raise ValueError(f"pass the referral {case.referral_ids[0]} that opened case {case.id}")
    table = table or packaged_table()
    facts = CaseFacts(case=case, received_at=opening.created_on, notified=notified_of(opening, notices),
                      concern=str(opening.content.concern.category))
    closed_at = case.closure["closed_at"] if case.state == CaseState.CLOSED and case.closure else None
    clocks = []
    for deadline in table.deadlines:
        for occurrence, span in enumerate(SPANS[deadline.clock](facts, deadline.params), start=1):
            ended = min((t for t in (span.ended_at, closed_at) if t is not None), default=None)
            bounded = Span(_started(span, case, table), span.met_at, ended)
            clock = _evaluate(deadline, bounded, occurrence, "case", case, now, table, calendar)
            if clock is not None:
                clocks.append(clock)
    return sorted(clocks, key=lambda c: (c.due_at, c.id, c.occurrence))


def _started(span: Span, case: Case, table: DeadlineTable) -> datetime:
    """When the clock started, or the handover where the table restarts clocks still running then."""
    handover = case.transferred_at
    if table.on_transfer != "restart" or handover is None or span.started_at >= handover:
        return span.started_at
    return span.started_at if span.met_at is not None and span.met_at <= handover else handover


def referral_clocks(
    referral: Referral,
    now: datetime,
    *,
    notices: Iterable[Notice] = (),
    table: DeadlineTable | None = None,
    calendar: WorkingCalendar | None = None,
    recipient_kind: str | None = "cam",
) -> list[Clock]:
    """The clocks of a referral not yet decided on, as the kind of body that received it runs them: a CAM/CSC's
    intake clocks (D03, N05), met already where the hub's notices did what they ask (the GTA told); the
    decision clocks of the bodies a ``referral_decision`` deadline names (an NGO's, NGO-D03)."""
    if referral.state not in OPEN_REFERRAL or recipient_kind is None:
        return []
    table = table or packaged_table()
    notified = notified_of(referral, notices)
    clocks = []
    for deadline in table.deadlines:
        if deadline.clock == "intake" and recipient_kind in CASE_MANAGING_BODIES:
            span = Span(referral.created_on, intake_met({}, notified, deadline.params))
        elif deadline.clock == "referral_decision" and recipient_kind in deadline.params["recipients"]:
            # met by the decision, which ends the referral's clocks; or, where the deadline asks only that, by the
            # acknowledgement (GTA-ACK, decision 0050)
            met = referral.acknowledged_at if deadline.params.get("met_by") == "acknowledgement" else None
            span = Span(referral.created_on, met)
        else:
            continue
        clocks.append(_evaluate(deadline, span, 1, "referral", referral, now, table, calendar))
    return sorted((c for c in clocks if c is not None), key=lambda c: (c.due_at, c.id))


def notified_of(referral: Referral, notices: Iterable[Notice]) -> dict[str, datetime]:
    """When each notice of the manuals about the referral was first sent to a registered body."""
    sent: dict[str, datetime] = {}
    for notice in notices:
        if notice.subject_id == referral.id and notice.recipient_agency is not None:
            sent[notice.rule] = min(sent.get(notice.rule, notice.created_on), notice.created_on)
    return sent


def next_due(clocks: Iterable[Clock]) -> Clock | None:
    """The open clock (running, due soon or overdue) that falls due first."""
    return min((c for c in clocks if c.is_open), key=lambda c: c.due_at, default=None)


def _evaluate(
    deadline: Deadline,
    span: Span,
    occurrence: int,
    subject: str,
    aggregate: Case | Referral,
    now: datetime,
    table: DeadlineTable,
    calendar: WorkingCalendar | None,
) -> Clock | None:
    if span.started_at > now:
        return None
    calendar = calendar or default_calendar()
    due = calendar.add(span.started_at, deadline.limit.amount, deadline.limit.unit)
    met = span.met_at if span.met_at is not None and span.met_at <= now else None
    ended = span.ended_at if span.ended_at is not None and span.ended_at <= now else None
    if met is None and ended is not None:
        if ended <= due:
            return None  # the duty lapsed before its time ran out
        now = ended  # a breach stays on the record, as it stood when the duty lapsed
    status = status_of(span.started_at, due, met, now, table.due_soon_fraction)
    return Clock(
        id=deadline.id,
        title=deadline.title,
        rule=str(deadline.source),
        who=deadline.who,
        limit=str(deadline.limit),
        subject=subject,
        subject_id=aggregate.id,
        started_at=calendar.local(span.started_at),
        due_at=due,
        due_soon_at=calendar.local(due_soon_from(span.started_at, due, table.due_soon_fraction)),
        met_at=calendar.local(met) if met is not None else None,
        status=status,
        occurrence=occurrence,
    )


__all__ = ["Clock", "ClockStatus", "case_clocks", "default_calendar", "next_due", "referral_clocks"]
