"""The deadline table (hub/policy/deadlines.yaml): what runs, from which event, for how long, by which rule.

The file is for people (a manager, the privacy officer) as much as for the code:
every entry names its source in the manuals, who must act, the event that starts
the clock and the events that stop it. The code reads the limit (amount and
unit) and ``clock``, the name of the rule in :mod:`hub.deadlines.spans` that
finds the clock's start and stop in a case; ``params`` tunes that rule.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt

from hub.deadlines.calendar import Unit
from hub.deadlines.spans import SPANS
from hub.yaml_data import load_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    manual: str
    section: str
    lines: str

    def __str__(self) -> str:
        return f"{self.manual} {self.section} ({self.lines})"


class Trigger(_Strict):
    event: str
    condition: str | None = None


class Limit(_Strict):
    amount: PositiveInt
    unit: Unit

    def __str__(self) -> str:
        unit = str(self.unit).replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


class Deadline(_Strict):
    id: str
    title: str
    source: Source
    who: str
    starts: Trigger
    limit: Limit
    stops: list[Trigger] = Field(min_length=1)
    repeats: str | None = None
    decision: str | None = None  # how we read the manual where it is ambiguous (docs/decisions/0010)
    clock: str
    params: dict[str, Any] = {}
    escalate_to: list[str] = []  # kinds of body told when it is missed, besides the one that must act


class NotClocked(_Strict):
    ids: list[str]
    why: str


class DeadlineTable(_Strict):
    version: int
    due_soon_fraction: float = Field(gt=0, lt=1)
    deadlines: list[Deadline]
    not_clocked: list[NotClocked] = []
    # A case handed to another centre (decision 0039): its clocks run on (carry_over), or those still running
    # start again from the handover (restart).
    on_transfer: Literal["carry_over", "restart"] = "carry_over"

    def by_id(self, deadline_id: str) -> Deadline:
        return next(d for d in self.deadlines if d.id == deadline_id)


def packaged_table_text() -> str:
    return files("hub.policy").joinpath("deadlines.yaml").read_text(encoding="utf-8")


def parse_table(text: str) -> DeadlineTable:
    table = DeadlineTable.model_validate(load_yaml(text))
    ids = [d.id for d in table.deadlines]
    if len(ids) != len(set(ids)):
        raise ValueError(f"deadline ids repeat: {sorted(i for i in ids if ids.count(i) > 1)}")
    unknown = sorted({d.clock for d in table.deadlines} - set(SPANS))
    if unknown:
        raise ValueError(f"no clock rule named {unknown} in hub/deadlines/spans.py")
    return table


@cache
def packaged_table() -> DeadlineTable:
    return parse_table(packaged_table_text())
