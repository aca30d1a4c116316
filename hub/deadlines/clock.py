"""One deadline's clock as a person sees it: which rule, who acts, when it is due, and how it stands.

How a clock stands is decided here and nowhere else (docs/decisions/0048): the pages, the inbox's queue
"due soon" and the API's deadline status all ask ``open_status``. A clock is due soon when at most
``due_soon_fraction`` (deadlines.yaml) of its own span is left, so a 24-hour duty turns due soon in its
last hours and a three-month review in its last weeks, never from its first minute."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class ClockStatus(StrEnum):
    RUNNING = "running"
    DUE_SOON = "due_soon"  # at most ``due_soon_fraction`` of the period left (deadlines.yaml)
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
    due_soon_at: datetime  # when it turns due soon (``due_soon_from``)
    met_at: datetime | None
    status: ClockStatus
    occurrence: int = 1  # for a repeating deadline: 1 for the first period, 2 for the next...

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def due_soon_from(started_at: datetime, due_at: datetime, fraction: float) -> datetime:
    """The moment a clock turns due soon: when ``fraction`` of its own span is left."""
    return due_at - (due_at - started_at) * fraction


def open_status(due_soon_at: datetime, due_at: datetime, now: datetime) -> ClockStatus:
    """How a clock not yet met stands at ``now``."""
    if now > due_at:
        return ClockStatus.OVERDUE
    if now >= due_soon_at:
        return ClockStatus.DUE_SOON
    return ClockStatus.RUNNING


def status_of(
    started_at: datetime, due_at: datetime, met_at: datetime | None, now: datetime, fraction: float
) -> ClockStatus:
    """Met on time if met at or before the due time; otherwise as ``open_status`` says."""
    if met_at is not None:
        return ClockStatus.MET if met_at <= due_at else ClockStatus.MET_LATE
    return open_status(due_soon_from(started_at, due_at, fraction), due_at, now)
