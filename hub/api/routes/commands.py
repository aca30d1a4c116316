"""Registers command endpoints from a table: one POST per service command.

Each endpoint authenticates, checks the role against the policy, validates its
body model, runs one service command and renders the result. Building them from
one factory keeps every command route alike, down to the errors it documents.
"""

# No postponed annotations here: endpoints get their body and service types at runtime,
# and FastAPI must see the real classes.

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel

from hub.actor import Actor
from hub.api.auth import Caller, permitted
from hub.api.problems import problem_responses
from hub.api.replies import answered
from hub.services.commit import Reply

ERRORS = problem_responses(400, 401, 403, 404, 409, 413, 422)

# (service, caller, record id, body, reply) -> the aggregate changed: a command of the table's routes, given no reply
# where its answer is not the record (``render``) or a page's form runs it
Run = Callable[[Any, Actor, UUID, Any, Reply | None], Any]


@dataclass(frozen=True)
class Posted:
    """What a page's form sends back to its command beside the body: a keyed command's Idempotency-Key, a bound
    one's further path ids by name (the record's is its record id). A command reads only the part its kind has."""

    idempotency_key: str | None = None
    bound: Mapping[str, UUID] = field(default_factory=dict)


# (service, caller, record id, body, what the form sent beside it) -> the aggregate changed
FormRun = Callable[[Any, Actor, UUID, Any, Posted], Any]


@dataclass(frozen=True)
class Command:
    """One command route as the table declared it: the pages (hub/web/command_forms.py) run the same
    command with the same body model and permission, so a form is never a way around the API's rules."""

    prefix: str
    path: str
    body_type: type[BaseModel]
    permission: str
    service: Any
    run: FormRun
    summary: str
    keyed: bool = False  # takes an Idempotency-Key: its form carries one of its own, so that sent twice it acts once
    # The ids of its path, the record's first, where the page offering its form is not that record's (a step of a
    # child's tie, offered on a referral's page): the page binds each form to them, and they come back with it.
    bound: tuple[str, ...] = ()


COMMANDS: list[Command] = []


def form_only(command: Command) -> None:
    """A command whose route is written by hand (it answers with more than the record it changed, or takes an
    Idempotency-Key), declared so that the pages offer it as a form all the same."""
    COMMANDS.append(command)


def command_route(
    router: APIRouter,
    path: str,
    id_name: str,
    body_type: type[BaseModel],
    permission: str,
    service: Any,
    run: Run,
    summary: str,
    response_model: type[BaseModel],
    render: Callable[[Any], Any] | None = None,
) -> None:
    """``service`` is the typed dependency (hub.api.deps) of the service ``run`` is given. The answer is
    what the caller may see of the record the command changed, or ``render(aggregate)`` for a body that
    records its part and is shown nothing more."""

    def endpoint(
        record_id: Annotated[UUID, Path(alias=id_name)],
        body: body_type,  # type: ignore[valid-type]
        caller: Annotated[Caller, Depends(permitted(permission))],
        commands: service,
        response: Response,
    ) -> Any:
        if render is not None:
            return render(run(commands, caller.actor, record_id, body, None))
        reply = Reply(summary)
        run(commands, caller.actor, record_id, body, reply)
        return answered(reply, response)

    # A page's form runs it as a partner's route does, unanswered: the page shows the record again itself.
    COMMANDS.append(Command(router.prefix, path, body_type, permission, service,
                            lambda h, a, i, b, _: run(h, a, i, b, None), summary))
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
