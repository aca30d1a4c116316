"""A plan's parts (cam-csc-manual 8.8.3 b-c and Annex H §4; 8.10.3 a, f and Annex I §4; docs/decisions/0052).

A child protection plan or a care plan is an overall summary in the manager's words and a list of items:
the objective, the task (a service or an action), who is responsible - a body of the hub by its agency code,
or one of the family by role - the person there if named, and when: a date to complete it by, or how often.
An item is stored as a dict on the plan's event (the transcoder's own type), sealed with the child's key as
every attribute of a case event is that the privacy policy does not keep in clear.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from hub.errors import GuardViolation


class PlanRole(StrEnum):
    """Who may be responsible for an item without being a body of the hub (Annex H §8, Annex I §7 sign the plan)."""

    PARENT = "parent"
    LEGAL_REPRESENTATIVE = "legal_representative"
    CARER = "carer"
    CHILD = "child"


@dataclass(frozen=True)
class PlanItem:
    goal: str  # "the objective and how this will help to reduce or eliminate the risk of harm" (Annex H §4)
    task: str  # "What is the task": the service or action
    responsible: str  # an agency code, or a PlanRole
    responsible_person: str | None = None  # "names of individuals responsible" (Annex H footnote 66), where given
    due: date | None = None  # "Time frame for completion"
    frequency: str | None = None  # or how often: "the nature and frequency of their contact" (8.10.3 f)

    def __post_init__(self) -> None:
        for name in ("goal", "task", "responsible"):
            if not getattr(self, name).strip():
                raise GuardViolation(f"plan-item-{name}", "every item of the plan names its %(name)s",
                                     values={"name": name}, field="items")
        if self.due is None and not (self.frequency and self.frequency.strip()):
            raise GuardViolation("plan-item-when", "every item of the plan says by when or how often", field="items")

    @property
    def by_a_body(self) -> bool:
        """Responsible is a body of the hub (told of its items), not one of the family."""
        return self.responsible not in set(PlanRole)

    def stored(self) -> dict[str, Any]:
        """As the event holds it: the date as ISO text, what was not given left out."""
        values = {**asdict(self), "due": self.due.isoformat() if self.due else None}
        return {key: value for key, value in values.items() if value is not None}


def stored_items(items: Sequence[PlanItem]) -> list[dict[str, Any]]:
    return [item.stored() for item in items]

