"""Derives a child's inbox items from the dossier and from what each body's view holds.

An item exists only where the body already sees the record (the referral's
recipient, the case's manager): the inbox shows nothing the views do not.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import CaseState
from hub.aggregates.referral import OPEN as OPEN_REFERRAL
from hub.aggregates.referral import Referral
from hub.inbox.item import NO_DEADLINE, InboxItem, utc_iso
from hub.privacy.dossier import Dossier
from hub.projections.view_store import ViewRow

# Which body a case waits on, by state (cam-csc-manual §3.2 S4, S5, S10, S12).
_AWAITING = {
    CaseState.AWAITING_SUPPORT_REFERRAL: "support provider (NGO or other body)",
    CaseState.AWAITING_CRIMINAL_OUTCOME: "police / court",
    CaseState.RETURN_IN_PROGRESS: "authority in the country of return",
}

# (referral or case, dossier, now, whether its body is a CAM/CSC) -> clock or None
NextClock = Callable[[Any, Dossier, datetime, bool], Any]


def _name(rows: dict[tuple[str, str], ViewRow], agency: str, dossier: Dossier) -> str | None:
    child = rows.get((agency, "child"))
    identity = child.body.get("identity", {}) if child else {}
    if not identity:
        referral = next((r for (a, t), r in rows.items() if a == agency and t == "referral"), None)
        identity = referral.body.get("content", {}).get("child", {}) if referral else {}
    parts = [identity.get("given_name"), identity.get("family_name")]
    return " ".join(p for p in parts if p) or identity.get("description")


def _awaiting(case: Case) -> str | None:
    if case.state == CaseState.CARE_PLAN_PENDING_APPROVAL:
        missing = sorted(case.care_approvals_required - case.care_approvals)
        return "approval: " + ", ".join(missing)
    return _AWAITING.get(case.state)  # type: ignore[call-overload]


def open_subjects(dossier: Dossier) -> list[tuple[str, str, Referral | Case]]:
    """What someone must still act on, with the body that must: open referrals and open cases."""
    return [(r.recipient_agency, "referral", r) for r in dossier.referrals if r.state in OPEN_REFERRAL] + [
        (c.managing_agency, "case", c) for c in dossier.cases if c.state != CaseState.CLOSED
    ]


def inbox_items(
    dossier: Dossier, rows: list[ViewRow], now: datetime, next_clock: NextClock, case_managers: set[str]
) -> list[InboxItem]:
    visible = {(r.agency, r.record_type, r.record_id) for r in rows}
    by_agency = {(r.agency, r.record_type): r for r in rows if r.record_type in ("child", "referral")}
    items = []
    for agency, item_type, subject in open_subjects(dossier):
        if (agency, item_type, str(subject.id)) not in visible:
            continue
        clock = next_clock(subject, dossier, now, agency in case_managers)
        items.append(
            InboxItem(
                agency=agency,
                item_type=item_type,
                item_id=str(subject.id),
                child_id=str(dossier.child_id),
                child_name=_name(by_agency, agency, dossier),
                state=str(subject.state),
                social_worker=getattr(subject, "social_worker", None),
                awaiting=_awaiting(subject) if isinstance(subject, Case) else None,
                deadline_id=clock.id if clock else None,
                deadline_title=clock.title if clock else None,
                deadline_rule=clock.rule if clock else None,
                due_at=utc_iso(clock.due_at) if clock else NO_DEADLINE,
                updated_at=utc_iso(subject.modified_on),
            )
        )
    return items
