"""The access report ("who saw what"): its filter, its rows, and the report as a whole.

A row is one thing an auditor must be able to judge: a read of a record
(granted, denied or through the glass) from the read log; a publication of a
record to a body's Kafka topic (also in the read log, with purpose
``relay:<position>``); or a break-the-glass opening. A row names children and
records by id only: what it says of a record is the names of the fields shown
and the rules that showed them, never their values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from hub.aggregates.access_record import AccessOutcome
from hub.aggregates.glass_break import glass_rule
from hub.errors import InvalidInput
from hub.projections.glass_openings import OpeningRow
from hub.projections.view_store import ReadRow

COMMAND = "audit.access_report"  # hub/policy/commands.yaml
PURPOSE = "access_report"
PUBLISHED = "relay"  # the purpose of a read the relay recorded, before ":<position>"
EXPOSED = (AccessOutcome.GRANTED, AccessOutcome.BREAK_GLASS)  # a denied read showed nothing


class RowKind(StrEnum):
    READ = "read"
    PUBLICATION = "publication"
    OPENING = "break_glass_opening"


@dataclass(frozen=True)
class ReportFilter:
    """Which rows: of one child, of one agency (or one of its users), within a period; any combination."""

    child_id: UUID | None = None
    agency: str | None = None
    user: str | None = None
    since: datetime | None = None  # "from", inclusive
    until: datetime | None = None  # "to", exclusive

    def check(self) -> None:
        if self.user and not self.agency:
            raise InvalidInput("user", "a user is named within an agency: give the agency too")
        if not any((self.child_id, self.agency, self.since, self.until)):
            raise InvalidInput(
                "child_id", "name a child, an agency or a period (from, to): the report is never the whole log at once"
            )
        for name, moment in (("from", self.since), ("to", self.until)):
            if moment is not None and moment.tzinfo is None:
                raise InvalidInput(name, "give a time zone, e.g. 2026-03-02T09:00:00+05:00")
        if self.since and self.until and self.since >= self.until:
            raise InvalidInput("to", "the period ends before it starts")

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition on the read log and the openings table, which share these column names."""
        terms: list[tuple[str, Any]] = [
            ("child_id = ?", str(self.child_id) if self.child_id else None),
            ("agency = ?", self.agency),
            ("user_name = ?", self.user),
            # Both tables keep ``at`` as the UTC ISO text of the event's time, which sorts as the time does.
            ("at >= ?", _utc(self.since)),
            ("at < ?", _utc(self.until)),
        ]
        kept = [(term, value) for term, value in terms if value is not None]
        return " AND ".join(term for term, _ in kept), [value for _, value in kept]


@dataclass(frozen=True)
class ReportRow:
    kind: RowKind
    position: int  # in the event log
    at: datetime
    agency: str
    role: str
    user: str
    child_id: UUID | None
    record_type: str
    record_id: UUID
    fields: list[str]
    rules: list[str]
    outcome: str
    purpose: str
    owner: str | None  # the body that created the record; None for what no body created (counts, logs)
    disclosure: bool  # the record reached a body other than its owner
    reason: str | None = None  # why the glass was broken (an opening, or a read through it)
    until: datetime | None = None  # when an opening expires


@dataclass(frozen=True)
class AccessReport:
    generated_at: datetime
    filters: ReportFilter
    rows: list[ReportRow] = field(default_factory=list)


def read_row(read: ReadRow, owner: str | None, reason: str | None) -> ReportRow:
    kind = RowKind.PUBLICATION if read.purpose.split(":")[0] == PUBLISHED else RowKind.READ
    return ReportRow(
        kind, read.position, datetime.fromisoformat(read.at), read.agency, read.role, read.user,
        UUID(read.child_id) if read.child_id else None, read.record_type, UUID(read.record_id), read.fields,
        read.rules, read.outcome, read.purpose, owner,
        disclosure=owner is not None and read.agency != owner and read.outcome in EXPOSED, reason=reason,
    )


def opening_row(opening: OpeningRow, owner: str | None, reason: str | None) -> ReportRow:
    """An opening shows nothing by itself (the reads through it do), so it is never a disclosure."""
    return ReportRow(
        RowKind.OPENING, opening.position, datetime.fromisoformat(opening.at), opening.agency, opening.role,
        opening.user, UUID(opening.child_id), opening.record_type, UUID(opening.record_id), [],
        [glass_rule(opening.opening_id)], "opened", "break_glass", owner, disclosure=False, reason=reason,
        until=datetime.fromisoformat(opening.until),
    )


def _utc(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None
