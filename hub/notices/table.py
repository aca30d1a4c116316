"""The schema of hub/policy/notices.yaml: every notification of both manuals, produced or not, and why.

An entry the hub produces as a notice carries ``produce`` rules: which recorded event raises it,
on which facts, to whom. ``hub policy table`` prints the whole table (docs/privacy-policy.md).
"""

from __future__ import annotations

from functools import cache, cached_property
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hub.notices.conditions import Conditions
from hub.yaml_data import load_yaml

Unit = Literal["hours", "calendar_days", "weeks", "calendar_months", "working_days"]


class _Loose(BaseModel):
    # The entries carry the manuals' words besides what the code reads (notes, missing fields...).
    model_config = ConfigDict(extra="allow", frozen=True)


class Limit(_Loose):
    amount: int | None = None
    unit: Unit | None = None
    reading: str | None = None

    @property
    def counted(self) -> bool:
        """A number of units; not only the manual's words."""
        return self.amount is not None and self.unit is not None

    @property
    def met_by_acknowledging(self) -> bool:
        """The manual's limit is met by confirming receipt: it is the acknowledgement's clock, not a second one."""
        return (self.model_extra or {}).get("met_by") == "acknowledge"

    @property
    def counted_back(self) -> bool:
        """Runs back from a moment the event names (a meeting's ``at``), not forward from the notice."""
        return "counted back" in str((self.model_extra or {}).get("from", ""))

    def __str__(self) -> str:
        if not self.counted:
            return self.reading or "as the manual says"
        unit = str(self.unit).replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


class Recipient(_Loose):
    kind: str | list[str]
    role: str | None = None
    # For "invitees" on an event that names none (the meeting held, the plan finalised): those the case's
    # meetings of this kind invited.
    meeting: str | None = None
    only: list[str] | None = None  # of the bodies resolved, only those of these kinds (health members: N30)


class Produce(BaseModel):
    """One way the notice is raised: on an event, when its facts hold, to these bodies."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event: str  # Aggregate.Event, e.g. Case.IntakeActionRecorded
    when: dict[str, list[Any]] = Field(default_factory=dict)
    unless: dict[str, list[Any]] = Field(default_factory=dict)
    to: list[Recipient] | None = None  # the entry's own ``to`` when absent
    # the event's attribute(s) whose text the notice carries (its ``reason``), in this order; ``plan_items`` (every
    # item of a plan) and ``own_items`` (the recipient's) are carried as the items themselves (decision 0060)
    message: str | list[str] | None = None

    def holds(self, facts: dict[str, Any]) -> bool:
        """Its ``when`` holds on the event's facts, and its ``unless`` does not."""
        when, unless = self.conditions
        return when.hold(facts) and not (self.unless and unless.hold(facts))

    @cached_property
    def conditions(self) -> tuple[Conditions, Conditions]:
        # in the instance's own attributes: a pydantic private attribute is looked up through __getattr__ (3x slower)
        return Conditions(self.when), Conditions(self.unless)


class Deadlines(_Loose):
    sender: Limit | None = None
    recipient: Limit | None = None


class Entry(_Loose):
    id: str
    title: str
    source: dict[str, str]
    form: Literal["referral", "notice", "answer", "none"]
    to: list[Recipient] = Field(default_factory=list)
    urgent: bool = False
    deadline: Deadlines | None = None
    acknowledge: Limit | None = None
    answers: list[str] = Field(default_factory=list)
    escalate_to: list[str] = Field(default_factory=list)
    on_refusal: list[str] = Field(default_factory=list)
    produced: bool
    reason: str | None = None
    produce: list[Produce] = Field(default_factory=list)

    @model_validator(mode="after")
    def _explained(self) -> Entry:
        if not self.produced and not self.reason:
            raise ValueError(f"{self.id} is not produced: say why (reason)")
        if self.produce and self.form != "notice":
            raise ValueError(f"{self.id}: only a notice is produced by rules, this one is a {self.form}")
        return self

    @property
    def lines(self) -> str:
        return f"{self.source.get('manual', '')} {self.source.get('section', '')} ({self.source.get('lines', '')})"


class NoticeTable(_Loose):
    version: int
    readings: dict[str, Limit | None]
    acknowledge_within: Limit
    answers: dict[str, str]
    escalation_ladder: dict[str, list[str]]
    receiving_role: dict[str, str] = Field(default_factory=dict)
    national: list[str] = Field(default_factory=list)  # kinds with one body for the country, whatever the city
    notices: list[Entry]

    @model_validator(mode="after")
    def _unique(self) -> NoticeTable:
        ids = [n.id for n in self.notices]
        if len(ids) != len(set(ids)):
            raise ValueError("notice ids must be unique")
        return self

    def raised_on(self, event: str) -> list[tuple[Entry, Produce]]:
        """Every (notice, rule) an event of this name may raise."""
        return self.by_event.get(event, [])

    @cached_property
    def by_event(self) -> dict[str, list[tuple[Entry, Produce]]]:
        # asked for every event of every command: looked up by name, not found by a walk of every rule
        found: dict[str, list[tuple[Entry, Produce]]] = {}
        for entry in self.notices:
            for produce in entry.produce:
                found.setdefault(produce.event, []).append((entry, produce))
        return found

    def by_id(self, notice_id: str) -> Entry:
        return next(n for n in self.notices if n.id == notice_id)

    def acknowledge_limit(self, entry: Entry) -> Limit | None:
        """Within what the recipient confirms receipt: the entry's own limit, else the table's."""
        if entry.acknowledge is not None and entry.acknowledge.counted:
            return entry.acknowledge
        manual = entry.deadline.recipient if entry.deadline else None
        if manual is not None and manual.counted and manual.met_by_acknowledging:
            return manual
        limit = self.readings.get("immediately") if entry.urgent else self.acknowledge_within
        return limit if limit is not None and limit.counted else None

    def answer_limit(self, entry: Entry) -> Limit | None:
        """Within what the recipient answers, where the manual gives a limit (one met by acknowledging is the
        acknowledgement's: two clocks due together escalated the same silence twice)."""
        limit = entry.deadline.recipient if entry.deadline else None
        return limit if limit is not None and limit.counted and not limit.met_by_acknowledging else None

    def escalation_of(self, entry: Entry, recipient_kind: str) -> list[str]:
        """Who is told, besides the sender and the managing body, when a notice to this kind is overdue."""
        if "escalate_to" in entry.model_fields_set:
            return entry.escalate_to
        return self.escalation_ladder.get(recipient_kind, [])


def parse_notices(text: str) -> NoticeTable:
    document = load_yaml(text)
    document["receiving_role"] = document.get("kinds", {}).get("receiving_role", {})
    document["national"] = document.get("kinds", {}).get("national", [])
    return NoticeTable.model_validate(document)


@cache
def packaged_notices() -> NoticeTable:
    return parse_notices(resources.files("hub.policy").joinpath("notices.yaml").read_text(encoding="utf-8"))
