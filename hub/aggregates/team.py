"""A supervisor's team: the social workers of a CAM/CSC whose cases the supervisor oversees (docs/decisions/0042).

The manuals name no supervisor below the Manager (cam-csc-manual §1.2 L112: the Manager allocates work to the
social workers); a centre that has one records who is in whose team, as its Manager or Director decides. One
aggregate per supervisor, apart from the cases: a team changed changes no view, only whose cases a supervisor
lists and may reassign.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID, uuid5

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.errors import GuardViolation

_TEAM_NAMESPACE = UUID("8a3e6f0c-1b2d-4c5e-9f70-3d2c1b0a9e84")


class TeamState(StrEnum):
    ACTIVE = "active"


def team_id(agency: str, supervisor: str) -> UUID:
    return uuid5(_TEAM_NAMESPACE, f"{agency}\x1f{supervisor}")


class Team(HubAggregate):
    kind = "team"

    @event("Started")
    def __init__(self, id: UUID, actor: Actor, agency: str, supervisor: str) -> None:  # id: team_id(...)
        self.agency = agency
        self.supervisor = supervisor
        self.state = TeamState.ACTIVE
        self.members: list[str] = []

    def set_members(self, actor: Actor, members: list[str]) -> None:
        members = sorted({m.strip() for m in members if m.strip()})
        if self.supervisor in members:
            raise GuardViolation("supervisor-in-own-team", "a supervisor is not one of its own team", field="members")
        if members != self.members:
            self._members_set(actor=actor, members=members)

    @event("MembersSet")
    def _members_set(self, actor: Actor, members: list[str]) -> None:
        self.members = members
