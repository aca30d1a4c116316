"""The clocks of what a body must act on: a referral, a case or a notice."""

from __future__ import annotations

from datetime import datetime

from hub.aggregates.case import Case
from hub.aggregates.notice import Notice
from hub.deadlines.clock import Clock
from hub.deadlines.clocks import case_clocks, referral_clocks
from hub.deadlines.notice_clocks import notice_clocks
from hub.privacy.dossier import Dossier


def clocks_of(subject: object, dossier: Dossier, now: datetime, recipient_kind: str | None = "cam") -> list[Clock]:
    """A case's clocks; a notice's; a referral's, as the kind of body that received it runs them (a CAM/CSC's
    intake, D03 and N05; an NGO's decision, NGO-D03)."""
    if isinstance(subject, Case):
        return case_clocks(subject, dossier.referrals, now, notices=dossier.notices)
    if isinstance(subject, Notice):
        return notice_clocks(subject, now)
    return referral_clocks(subject, now, notices=dossier.notices, recipient_kind=recipient_kind)  # type: ignore[arg-type]

