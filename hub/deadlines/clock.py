"""One deadline's clock as a person sees it: which rule, who acts, when it is due, and how it stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class ClockStatus(StrEnum):
    RUNNING = "running"
    DUE_SOON = "due_soon"  # at most a fifth of the period left (``due_soon_fraction`` in the table)
    OVERDUE = "overdue"  # past due and not met; stays so once the duty lapsed after its due time
    MET = "met"
    MET_LATE = "met_late"


OPEN = frozenset({ClockStatus.RUNNING, ClockStatus.DUE_SOON, ClockStatus.OVERDUE})


@dataclass(frozen=True)
class Clock:
    """A deadline clock of a case or a referral. Times are in the deployment's local time."""

    id: str  # the table's id, from the manual: "D12a", "D40-3", "N05"
    title: str
    rule: str  # the source rule: "cam-csc-manual 8.3.3 (L1920-1933)"
    who: str  # the body or role that must act
    limit: str  # "48 hours", "7 working days"
    subject: str  # "case" or "referral"
    subject_id: UUID
    started_at: datetime
    due_at: datetime
    met_at: datetime | None
    status: ClockStatus
    occurrence: int = 1  # for a repeating deadline: 1 for the first period, 2 for the next...

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def status_of(
    started_at: datetime, due_at: datetime, met_at: datetime | None, now: datetime, fraction: float
) -> ClockStatus:
    """Met on time if met at or before the due time; due soon when at most ``fraction`` of the period is left."""
    if met_at is not None:
        return ClockStatus.MET if met_at <= due_at else ClockStatus.MET_LATE
    if now > due_at:
        return ClockStatus.OVERDUE
    if due_at - now <= (due_at - started_at) * fraction:
        return ClockStatus.DUE_SOON
    return ClockStatus.RUNNING
