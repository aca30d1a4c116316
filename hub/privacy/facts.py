"""What has been judged about one dossier at one moment, so that each question is asked once per body.

Most conditions (the child's city, an emergency, a consent, a notice held...) do not depend on which
record of the dossier is shown (the ``reads`` each condition is declared with in hub/privacy/conditions.py,
collected there as ``READS_THE_RECORD``): across the records of a dossier they are judged once per body and
kind of record and remembered here. The conditions that do look at the record are judged for every record.
Which conditions are judged at all for a record is the plan's to say (hub/privacy/decisions.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hub.privacy.conditions import CONDITIONS, Ctx, reads_the_record

if TYPE_CHECKING:
    from hub.privacy.decisions import Decision, Plan


@dataclass(frozen=True, slots=True)  # its attributes are read at every step of every walk
class Test:
    """One condition of the policy, as a rule names it for a kind of record, ready to be judged."""

    key: str
    check: Callable[[Ctx, Any], bool]
    argument: Any
    reads_the_record: bool

    @classmethod
    def of(cls, condition: str | dict[str, Any], record_type: str) -> Test:
        name, argument = (condition, None) if isinstance(condition, str) else next(iter(condition.items()))
        return cls(Test.key_of(condition), CONDITIONS[name], argument, reads_the_record(condition, record_type))

    @staticmethod
    def key_of(condition: str | dict[str, Any]) -> str:
        return condition if isinstance(condition, str) else json.dumps(condition, sort_keys=True)

    def holds(self, ctx: Ctx) -> bool:
        return self.check(ctx, self.argument)


def judged(test: Test, known: dict[str, bool], ctx: Ctx) -> bool:
    """The condition's truth for the body and dossier of ``ctx``, judged the first time it is asked."""
    truth = known.get(test.key)
    if truth is None:
        truth = known[test.key] = test.check(ctx, test.argument)
    return truth


class Facts:
    """Conditions judged for one dossier at one moment, per body: valid while neither the dossier nor the
    moment changes."""

    def __init__(self) -> None:
        self._known: dict[str, dict[str, bool]] = {}  # by body: each condition judged about the child

    def decision(self, plan: Plan, ctx: Ctx) -> Decision | None:
        """The plan's decision for the body and record of ``ctx``."""
        return plan.decision(self._known.setdefault(ctx.agency.code, {}), ctx)

    def holds(self, test: Test, ctx: Ctx) -> bool:
        """A condition about the child is judged once per body; one that reads the record, every time."""
        if test.reads_the_record:
            return test.holds(ctx)
        return judged(test, self._known.setdefault(ctx.agency.code, {}), ctx)
