"""Supervisors' teams, recorded by a centre's Manager or Director (docs/decisions/0042)."""

from __future__ import annotations

from hub.actor import Actor
from hub.aggregates.team import Team, team_id
from hub.services.aggregates import Aggregates


class TeamService:
    def __init__(self, aggregates: Aggregates) -> None:
        self.aggregates = aggregates

    def set_members(self, actor: Actor, supervisor: str, members: list[str]) -> Team:
        """The caller's centre's supervisor now oversees these social workers, and no others."""
        team = self._team(actor.agency, supervisor) or Team(
            id=team_id(actor.agency, supervisor), actor=actor, agency=actor.agency, supervisor=supervisor
        )
        team.set_members(actor, members)
        self.aggregates.save(team)
        return team

    def members(self, agency: str, supervisor: str) -> list[str]:
        team = self._team(agency, supervisor)
        return team.members if team is not None else []

    def _team(self, agency: str, supervisor: str) -> Team | None:
        team = self.aggregates.find(team_id(agency, supervisor))
        return team if isinstance(team, Team) else None
