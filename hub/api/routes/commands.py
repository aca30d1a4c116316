"""Registers command endpoints from a table: one POST per service command.

Each endpoint authenticates, checks the role against the policy, validates its
body model, runs one service command and renders the result. Building them from
one factory keeps every command route alike, down to the errors it documents.
"""

# No postponed annotations here: endpoints get their body type at runtime, and
# FastAPI must see the real class.

from collections.abc import Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from hub.api.auth import Caller, hub_app, permitted
from hub.api.problems import problem_responses
from hub.application import HubApplication

ERRORS = problem_responses(400, 401, 403, 404, 409, 413, 422)

Run = Callable[[HubApplication, Any, UUID, Any], Any]


def command_route(
    router: APIRouter,
    path: str,
    id_name: str,
    body_type: type[BaseModel],
    permission: str,
    run: Run,
    summary: str,
    response_model: type[BaseModel],
    render: Callable[[HubApplication, Any, Any, str], Any],
) -> None:
    def endpoint(
        record_id: UUID = Path(..., alias=id_name),
        body: body_type = ...,  # type: ignore[valid-type]
        caller: Caller = Depends(permitted(permission)),
        hub: HubApplication = Depends(hub_app),
    ) -> Any:
        return render(hub, caller.actor, run(hub, caller.actor, record_id, body), summary)

    router.add_api_route(
        path,
        endpoint,
        methods=["POST"],
        response_model=response_model,
        responses=ERRORS,
        response_model_exclude_unset=True,
        summary=summary,
        name=summary.lower().replace(" ", "_"),
    )
