"""/v1/teams/{supervisor}: which social workers of a CAM/CSC a supervisor oversees, set by the centre's Manager
or Director (docs/decisions/0042). The supervisor's inbox lists the team's cases (GET /v1/inbox?queue=team)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from hub.api.auth import Caller, permitted
from hub.api.deps import Teams
from hub.api.problems import problem_responses
from hub.text import Name

router = APIRouter(prefix="/v1/teams", tags=["cases"])

Supervisor = Annotated[str, Path(min_length=1, max_length=200, description="the supervisor, as its tokens name the user")]


class TeamMembers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    members: list[Annotated[str, Name(200)]] = Field(..., max_length=100, description="the social workers, as users")


class TeamView(BaseModel):
    agency: str
    supervisor: str
    members: list[str]


@router.put("/{supervisor}", response_model=TeamView, responses=problem_responses(400, 401, 403, 413, 422))
def set_team(
    supervisor: Supervisor, body: TeamMembers, caller: Annotated[Caller, Depends(permitted("team.set"))], teams: Teams
) -> TeamView:
    """The supervisor of the caller's centre now oversees exactly these social workers."""
    team = teams.set_members(caller.actor, supervisor, body.members)
    return TeamView(agency=team.agency, supervisor=team.supervisor, members=team.members)


@router.get("/{supervisor}", response_model=TeamView, responses=problem_responses(401, 403, 422))
def read_team(
    supervisor: Supervisor, caller: Annotated[Caller, Depends(permitted("team.read"))], teams: Teams
) -> TeamView:
    """A supervisor's team in the caller's own centre (empty where none was set)."""
    return TeamView(agency=caller.actor.agency, supervisor=supervisor,
                    members=teams.members(caller.actor.agency, supervisor))
