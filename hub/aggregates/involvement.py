"""A child harmed by another child: one side of the involvement of two minors, bound to one of them (decision 0050).

Bullying and peer violence (violence-system-evaluation S7, L3193-3207) have a child on both sides, each with
protection needs of his own: the harmed child, and the alleged perpetrator ("perpetrators are household
members or older peers", vse §8 item 3). As a family link (0041), the involvement is kept as two sides, each a
record of its own child: sealed with that child's key, erased with it, and shown only where the policy shows a
body both sides (hub/services/two_files.py). The S7 steps are recorded on the side of the child they concern,
so a meeting with one child's parents is written in that child's file and never names the other child's.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate


class OtherMinor(StrEnum):
    """What the other child is in this child's matter."""

    ALLEGED_PERPETRATOR = "alleged_perpetrator"  # on the harmed child's side
    HARMED = "harmed"  # on the alleged perpetrator's side


class Setting(StrEnum):
    SCHOOL = "school"  # the school inspector is called to document it (vse L3207)
    RESIDENTIAL_CARE = "residential_care"  # older children in a children's home (Ainur, vse §3.3, L2934)
    COMMUNITY = "community"
    HOME = "home"  # another child of the household (vse §8 item 3)
    ONLINE = "online"


class Step(StrEnum):
    """The steps of S7 after registration (vse S7, L3193, L3201, L3207), each recorded on one child's side."""

    PSYCHOLOGICAL_HELP = "psychological_help"  # to the harmed child
    PARENTS_MET = "parents_met"  # this child's parents: the other child's are met on the other side
    INSPECTOR_CALLED = "inspector_called"  # the school's internal-affairs inspector, when it happened at school
    VIOLENCE_DOCUMENTED = "violence_documented"  # by that inspector or the juvenile inspection
    MONITORING = "monitoring"  # the psychologist checks on the child until a date



class Involvement(HubAggregate):
    kind = "involvement"

    @event("Recorded")
    def __init__(
        self, id: UUID, actor: Actor, child_id: UUID, other_child_id: UUID, counterpart_id: UUID, other_minor: str,
        setting: str, reason: str, other_referral_id: UUID | None = None,
    ) -> None:
        self.child_id = child_id
        self.other_child_id = other_child_id
        # the other child's referral the matter was recorded with, so that a page can link to it; none on a side
        # recorded before it was kept (docs/decisions/0062)
        self.other_referral_id = other_referral_id
        self.counterpart_id = counterpart_id  # the other child's side of the same involvement
        self.other_minor = OtherMinor(other_minor)
        self.setting = Setting(setting)
        self.reason = reason
        self.recorded_by = actor.agency
        self.steps: list[dict[str, str | None]] = []

    @event("StepRecorded")
    def record_step(self, actor: Actor, step: str, note: str, until: date | None) -> None:
        self.steps.append({
            "step": str(Step(step)), "note": note, "until": until.isoformat() if until else None,
            "by_agency": actor.agency, "by_user": actor.user, "at": self.modified_on.isoformat(),
        })
