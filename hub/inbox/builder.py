"""Derives a child's inbox items from the dossier and from what each body's view holds.

An item exists only where the body already sees the record (the referral's
recipient, the case's manager, the notice's recipient, a body an escalation
tells): the inbox shows nothing the views do not.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import CaseState
from hub.aggregates.escalation import Escalation
from hub.aggregates.notice import Notice
from hub.aggregates.referral import OPEN as OPEN_REFERRAL
from hub.aggregates.referral import Referral
from hub.deadlines.clock import Clock, ClockStatus
from hub.deadlines.clocks import next_due
from hub.deadlines.notice_clocks import is_question_open
from hub.inbox.item import NO_DEADLINE, InboxItem, utc_iso
from hub.privacy.dossier import Dossier
from hub.projections.view_store import ViewRow

# Which body a case waits on, by state (cam-csc-manual §3.2 S4, S5, S10, S12).
_AWAITING = {
    CaseState.AWAITING_SUPPORT_REFERRAL: "support provider (NGO or other body)",
    CaseState.AWAITING_CRIMINAL_OUTCOME: "police / court",
    CaseState.RETURN_IN_PROGRESS: "authority in the country of return",
}

# (referral, case or notice, dossier, now, the kind of the body that must act) -> its clocks
ClocksOf = Callable[[Any, Dossier, datetime, str | None], list[Clock]]


def _name(rows: dict[tuple[str, str], ViewRow], agency: str, dossier: Dossier) -> str | None:
    child = rows.get((agency, "child"))
    identity = child.body.get("identity", {}) if child else {}
    if not identity:
        referral = next((r for (a, t), r in rows.items() if a == agency and t == "referral"), None)
        identity = referral.body.get("content", {}).get("child", {}) if referral else {}
    parts = [identity.get("given_name"), identity.get("family_name")]
    return " ".join(p for p in parts if p) or identity.get("description")


def _awaiting(subject: Referral | Case | Notice) -> str | None:
    if isinstance(subject, Notice):
        return f"reply from {subject.sender_agency}" if is_question_open(subject) else None
    if isinstance(subject, Referral):
        return None
    if subject.state == CaseState.CARE_PLAN_PENDING_APPROVAL:
        missing = sorted(subject.care_approvals_required - subject.care_approvals)
        return "approval: " + ", ".join(missing)
    return _AWAITING.get(subject.state)


def open_subjects(dossier: Dossier) -> list[tuple[str, str, Referral | Case | Notice]]:
    """What someone must still act on, with the body that must: open referrals, open cases, and open
    notices addressed to a registered body."""
    return (
        [(r.recipient_agency, "referral", r) for r in dossier.referrals if r.state in OPEN_REFERRAL]
        + [(c.managing_agency, "case", c) for c in dossier.cases if c.state != CaseState.CLOSED]
        + [(n.recipient_agency, "notice", n) for n in dossier.notices if n.is_open and n.recipient_agency]
    )


def _still_overdue(escalation: Escalation, clocks: list[Clock]) -> Clock | None:
    """The clock an escalation was raised for, while it is still unmet."""
    return next(
        (
            c for c in clocks
            if c.id == escalation.deadline_id and c.due_at == escalation.due_at and c.status == ClockStatus.OVERDUE
        ),
        None,
    )


def inbox_items(
    dossier: Dossier, rows: list[ViewRow], now: datetime, clocks_of: ClocksOf, kinds: dict[str, str]
) -> list[InboxItem]:
    """``kinds``: each registered body's kind, by code."""
    visible = {(r.agency, r.record_type, r.record_id) for r in rows}
    by_agency = {(r.agency, r.record_type): r for r in rows if r.record_type in ("child", "referral")}
    subjects = {subject.id: (agency, item_type, subject) for agency, item_type, subject in open_subjects(dossier)}
    items = []
    for agency, item_type, subject in subjects.values():
        if (agency, item_type, str(subject.id)) in visible:
            clock = next_due(clocks_of(subject, dossier, now, kinds.get(agency)))
            items.append(
                _item(agency, item_type, subject.id, dossier, by_agency, str(subject.state), clock,
                      subject.modified_on, getattr(subject, "social_worker", None), _awaiting(subject),
                      getattr(subject, "risk_level", None))
            )
    for escalation in dossier.escalations:
        told = [a for a in escalation.notify if (a, "notice", str(escalation.id)) in visible]
        acting, _, escalated = subjects.get(escalation.subject_id, (None, None, None))
        if escalated is None or not told:
            continue  # what was overdue is done with, or nobody may see the escalation
        overdue = _still_overdue(escalation, clocks_of(escalated, dossier, now, kinds.get(acting) if acting else None))
        items += [
            _item(agency, "escalation", escalation.id, dossier, by_agency, "escalated", overdue,
                  escalation.modified_on, None, acting)
            for agency in told if overdue is not None and agency != acting
        ]
    return items + _undelivered(dossier, rows, by_agency)


def _undelivered(
    dossier: Dossier, rows: list[ViewRow], by_agency: dict[tuple[str, str], ViewRow]
) -> list[InboxItem]:
    """An open notice given up on a channel (docs/decisions/0036) is an alert to every other body that
    sees it - its sender, the centre managing the child - until it is answered or withdrawn."""
    items = []
    for notice in dossier.notices:
        if not (notice.undelivered and notice.is_open):
            continue
        seen_by = {r.agency for r in rows if r.record_type == "notice" and r.record_id == str(notice.id)}
        items += [
            _item(agency, "undelivered", notice.id, dossier, by_agency, "undelivered", None, notice.modified_on,
                  None, notice.recipient_agency or notice.recipient_kind)
            for agency in sorted(seen_by - {notice.recipient_agency})
        ]
    return items


def _item(
    agency: str, item_type: str, item_id: object, dossier: Dossier, by_agency: dict[tuple[str, str], ViewRow],
    state: str, clock: Clock | None, updated: datetime, social_worker: str | None, awaiting: str | None,
    risk_level: str | None = None,
) -> InboxItem:
    return InboxItem(
        agency=agency,
        item_type=item_type,
        item_id=str(item_id),
        child_id=str(dossier.child_id),
        child_name=_name(by_agency, agency, dossier),
        state=state,
        social_worker=social_worker,
        awaiting=awaiting,
        deadline_id=clock.id if clock else None,
        deadline_title=clock.title if clock else None,
        deadline_rule=clock.rule if clock else None,
        due_at=utc_iso(clock.due_at) if clock else NO_DEADLINE,
        updated_at=utc_iso(updated),
        due_soon_at=utc_iso(clock.due_soon_at) if clock else NO_DEADLINE,
        risk_level=str(risk_level) if risk_level else None,
    )
