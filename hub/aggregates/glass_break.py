"""Break-the-glass: a user opens a record the policy withholds, on a legal ground with a written reason, for a
limited time; the bodies told of it are named on the opening (docs/decisions/0029)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.errors import GuardViolation

MINIMUM_REASON = 20  # a reason an auditor can judge, not "urgent"
MINIMUM_WORDS = 4  # nor 25 times the same letter
RULE_PREFIX = "BREAK-GLASS:"


class GlassState(StrEnum):
    OPEN = "open"


class GlassBreak(HubAggregate):
    kind = "break-the-glass opening"

    class Opened(HubAggregate.Created):
        # v2 names the legal ground and the bodies told. Openings recorded before cited no ground, and
        # only the centres managing the child were told (they are found from the dossier, as then).
        class_version = 2
        actor: Actor
        child_id: UUID
        record_type: str
        record_id: UUID
        reason: str
        until: datetime
        ground: str | None
        notify: list[str] | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["ground"] = None
            state["notify"] = None

    @event(Opened)
    def __init__(
        self, actor: Actor, child_id: UUID, record_type: str, record_id: UUID, reason: str, until: datetime,
        ground: str | None, notify: list[str] | None,
    ) -> None:
        self.state = GlassState.OPEN
        self.opened_by = actor
        self.child_id = child_id
        self.record_type = record_type
        self.record_id = record_id
        self.reason = reason
        self.until = until
        self.ground = ground
        self.notify = notify

    @staticmethod
    def check_reason(reason: str) -> str:
        reason = reason.strip()
        words = {w.casefold() for w in reason.split() if any(c.isalpha() for c in w)}
        if len(reason) < MINIMUM_REASON or len(words) < MINIMUM_WORDS:
            raise GuardViolation(
                "break-glass-reason",
                "say in at least %(characters)s characters and %(words)s different words how the ground applies to this child",
                values={"characters": MINIMUM_REASON, "words": MINIMUM_WORDS},
                field="reason",
            )
        return reason

    def is_open_for(self, actor: Actor, at: datetime) -> bool:
        return self.opened_by == actor and at < self.until

    @property
    def rule(self) -> str:
        """The rule a read through this opening cites, so the read log names the opening that allowed it."""
        return glass_rule(self.id)


def glass_rule(opening_id: UUID | str) -> str:
    return f"{RULE_PREFIX}{opening_id}"


def opening_cited(rules: list[str]) -> UUID | None:
    """The opening a read through the glass cites among its rules, if any."""
    return next((UUID(r.removeprefix(RULE_PREFIX)) for r in rules if r.startswith(RULE_PREFIX)), None)
