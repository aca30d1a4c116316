"""One line of an agency's inbox: a referral to answer or a case to move, and its most urgent clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from hub.deadlines.clock import ClockStatus, open_status

NO_DEADLINE = "9999-12-31T00:00:00+00:00"  # sorts after every real due date
# A case's risk level as text that sorts in its order (docs/decisions/0042); "0" for a row without one.
RISK_RANKS = {None: "0", "low": "1", "medium": "2", "high": "3"}


def utc_iso(moment: datetime) -> str:
    """The one text form of a moment in the inbox table, so that text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class InboxItem:
    agency: str
    item_type: str  # "referral", "case", "notice", "escalation" or "undelivered"
    item_id: str
    child_id: str
    child_name: str | None  # sealed at rest under the child's key
    state: str
    social_worker: str | None
    awaiting: str | None  # the other body the item waits on, if any
    deadline_id: str | None
    deadline_title: str | None
    deadline_rule: str | None
    due_at: str  # UTC ISO-8601, or NO_DEADLINE
    updated_at: str
    due_soon_at: str = NO_DEADLINE  # when its clock turns due soon (hub/deadlines/clock.py)
    risk_level: str | None = None  # a case's low / medium / high (docs/decisions/0042)

    def status(self, now: datetime) -> ClockStatus | None:
        """How its clock stands now, by the one rule of every page and of the API; None without a clock."""
        if self.due_at == NO_DEADLINE:
            return None
        return open_status(datetime.fromisoformat(self.due_soon_at), datetime.fromisoformat(self.due_at), now)

    @property
    def risk_rank(self) -> str:
        return RISK_RANKS[self.risk_level]
