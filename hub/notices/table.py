"""The schema of hub/policy/notices.yaml: every notification of both manuals, produced or not, and why.

An entry the hub produces as a notice carries ``produce`` rules: which recorded event raises it,
on which facts, to whom. ``hub policy table`` prints the whole table (docs/privacy-policy.md).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

Unit = Literal["hours", "calendar_days", "weeks", "calendar_months", "working_days"]


class _Loose(BaseModel):
    # The entries carry the manuals' words besides what the code reads (notes, missing fields...).
    model_config = ConfigDict(extra="allow", frozen=True)


class Limit(_Loose):
    amount: int | None = None
    unit: Unit | None = None
    reading: str | None = None


class Recipient(_Loose):
    kind: str | list[str]
    role: str | None = None


class Produce(BaseModel):
    """One way the notice is raised: on an event, when its facts hold, to these bodies."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event: str  # Aggregate.Event, e.g. Case.IntakeActionRecorded
    when: dict[str, list[Any]] = Field(default_factory=dict)
    unless: dict[str, list[Any]] = Field(default_factory=dict)
    to: list[Recipient] | None = None  # the entry's own ``to`` when absent


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
    notices: list[Entry]

    @model_validator(mode="after")
    def _unique(self) -> NoticeTable:
        ids = [n.id for n in self.notices]
        if len(ids) != len(set(ids)):
            raise ValueError("notice ids must be unique")
        return self

    def raised_on(self, event: str) -> list[tuple[Entry, Produce]]:
        """Every (notice, rule) an event of this name may raise."""
        return [(n, p) for n in self.notices for p in n.produce if p.event == event]

    def by_id(self, notice_id: str) -> Entry:
        return next(n for n in self.notices if n.id == notice_id)


def parse_notices(text: str) -> NoticeTable:
    document = yaml.safe_load(text)
    document["receiving_role"] = document.get("kinds", {}).get("receiving_role", {})
    return NoticeTable.model_validate(document)


@cache
def packaged_notices() -> NoticeTable:
    return parse_notices(resources.files("hub.policy").joinpath("notices.yaml").read_text(encoding="utf-8"))
