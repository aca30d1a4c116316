"""One run of the retention rule, recorded whether or not it archived anything (decision 0019).

The run is the rule's own log: when it ran, as of which day, by whom, with which
retention age, what it archived and what it had to keep and why (a file still
open at the age of majority, or a child whose age nobody recorded). Child ids
only: nothing personal.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate


class Kept(StrEnum):
    """Why a file that may be due stays in the operational views."""

    OPEN_CASE = "open-case"  # of age, but a case is open: D41 wants it transferred and closed first
    OPEN_REFERRAL = "open-referral"  # of age, but a referral is not yet decided
    AGE_UNKNOWN = "age-unknown"  # closed, but no date of birth or stated age to count 18 years from
    SURVIVOR_REPORT = "survivor-report"  # an adult survivor's own record: no child's file to archive (0041)


class RetentionRun(HubAggregate):
    kind = "retention_run"

    @event("Completed")
    def __init__(
        self, actor: Actor, as_of: date, retention_age: int, archived: list[UUID], kept: list[dict[str, str]],
    ) -> None:
        self.state = "completed"
        self.run_by = actor
        self.as_of = as_of
        self.retention_age = retention_age
        self.archived = list(archived)
        self.kept = list(kept)
