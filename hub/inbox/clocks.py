"""The clock an inbox line shows: the open deadline of the referral or case that falls due first."""

from __future__ import annotations

from datetime import datetime

from hub.aggregates.case import Case
from hub.deadlines.clock import Clock
from hub.deadlines.clocks import case_clocks, next_due, referral_clocks
from hub.privacy.dossier import Dossier


def clocks_of(subject: object, dossier: Dossier, now: datetime, case_managing_recipient: bool = True) -> list[Clock]:
    """A case's clocks; a referral's intake clocks only where a CAM/CSC received it (the table's D03, N05)."""
    if isinstance(subject, Case):
        return case_clocks(subject, dossier.referrals, now)
    return referral_clocks(subject, now) if case_managing_recipient else []  # type: ignore[arg-type]


def next_clock(subject: object, dossier: Dossier, now: datetime, case_managing_recipient: bool) -> Clock | None:
    return next_due(clocks_of(subject, dossier, now, case_managing_recipient))
