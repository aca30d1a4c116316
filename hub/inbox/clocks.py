"""The clocks of what a body must act on: a referral, a case or a notice."""

from __future__ import annotations

from datetime import datetime

from hub.aggregates.case import Case
from hub.aggregates.notice import Notice
from hub.deadlines.clock import Clock
from hub.deadlines.clocks import case_clocks, referral_clocks
from hub.deadlines.notice_clocks import notice_clocks
from hub.privacy.dossier import Dossier


def clocks_of(subject: object, dossier: Dossier, now: datetime, case_managing_recipient: bool = True) -> list[Clock]:
    """A case's clocks; a notice's; a referral's intake clocks only where a CAM/CSC received it (the
    table's D03, N05)."""
    if isinstance(subject, Case):
        return case_clocks(subject, dossier.referrals, now, notices=dossier.notices)
    if isinstance(subject, Notice):
        return notice_clocks(subject, now)
    return referral_clocks(subject, now, notices=dossier.notices) if case_managing_recipient else []  # type: ignore[arg-type]

