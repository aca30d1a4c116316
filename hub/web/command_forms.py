"""The forms of a record's commands, from the API's own table (hub.api.routes.commands.COMMANDS).

A form runs the command the API route runs, with its body model, its permission and its service;
only the forms the caller's role may run are offered. A refused command comes back as the form
again, with what was typed and the refusal beside the field it is about.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from hub.api.auth import Caller
from hub.api.routes.commands import COMMANDS, Command, Posted
from hub.errors import Forbidden, HubError, NotFound
from hub.permissions import may
from hub.web import forms
from hub.web.guard import check
from hub.web.refusals import said
from hub.web.rendering import translate


@dataclass
class Form:
    command: Command
    action: str  # the command's path after the record's id, one segment: "initial-assessment", "protection-plan-reviews"
    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    problem: str | None = None  # a refusal about the whole command, not one field
    current: bool = False  # one of the steps the record's state waits for
    more: int = 0  # rows the reader added to its lists of parts (a plan's items)
    growing: bool = False  # shown again with a row more, nothing run: not a refusal
    parts_left_out: frozenset[str] = frozenset()  # parts of the body this page does not ask (left empty, left out)
    fixed: dict[str, str] = field(default_factory=dict)  # a bound command's ids (Command.bound), sent back hidden

    @property
    def name(self) -> str:
        """The form's name, unique on its page (its fields' ids): its action, and the last id it is bound to, as a
        page may offer one bound form a record (a step for each tie)."""
        return "-".join([self.action, *list(self.fixed.values())[-1:]])

    @property
    def fields(self) -> tuple[forms.Field, ...]:
        return tuple(f for f in forms.fields_of(self.command.body_type, self.more)
                     if not any(f.name.startswith(f"{part}.") for part in self.parts_left_out))

    @property
    def grows(self) -> bool:
        return forms.grows(self.command.body_type) and self.more < forms.MORE_ROWS


def commands_of(kind: str) -> dict[str, Command]:
    """The commands of /v1/{kind}, by their path after the record's id as one segment of the page's address
    ("protection-plan/reviews" is "protection-plan-reviews"), a bound command's further ids left out (a tie's
    "involvements/{involvement_id}/steps" is "involvements-steps": the ids come with the form)."""
    return {"-".join(s for s in c.path.split("}/", 1)[1].split("/") if not s.startswith("{")): c
            for c in COMMANDS if c.prefix == f"/v1/{kind}" and "}/" in c.path}


def offered(caller: Caller, kind: str, leave_out: frozenset[str] = frozenset(),
            current: frozenset[str] = frozenset(), staged: frozenset[str] = frozenset(),
            failed: Form | None = None) -> list[Form]:
    """The caller's forms: the steps of the current state first, then those allowed at any time; a step of
    another state (``staged`` and not ``current``) is not offered, as the record would refuse it."""
    found = [
        failed if failed is not None and failed.action == action
        else Form(command, action, _blank(command), current=action in current)
        for action, command in commands_of(kind).items()
        if (failed is not None and failed.action == action)  # a refused form is shown with its refusal
        or (action not in leave_out and (action in current or action not in staged)
            and may(caller.agency.kind, caller.actor.role, command.permission))
    ]
    return sorted(found, key=lambda form: not form.current)


def bound(caller: Caller, kind: str, action: str, fixed: dict[str, str], failed: Form | None = None) -> Form | None:
    """The form of a bound command for the ids ``fixed`` (its ``bound``, by name), the refused one where it is that
    very form; None where the caller's role may not run it."""
    command = commands_of(kind)[action]
    if failed is not None and (failed.action, failed.fixed) == (action, fixed):
        return failed
    if not may(caller.agency.kind, caller.actor.role, command.permission):
        return None
    return Form(command, action, _blank(command), fixed=fixed)


def _blank(command: Command) -> dict[str, Any]:
    """A new form's values; a keyed command's form its own Idempotency-Key (as the portal's intake form has)."""
    return forms.blank(command.body_type) | ({forms.KEY_FIELD: str(uuid4())} if command.keyed else {})


def _service(hub: Any, dependency: Any) -> Any:
    """The instance an ``Annotated[Service, Depends(...)]`` of hub.api.deps resolves to: the hub's attribute
    of the dependency's name."""
    return getattr(hub, typing.get_args(dependency)[1].dependency.__name__)


async def run(request: Request, caller: Caller, kind: str, record_id: UUID, action: str) -> Form | None:
    """Runs the posted form's command on the page's record, a bound command on the ids its form came back with;
    the form again when refused (None: done)."""
    command = commands_of(kind).get(action)
    if command is None:
        raise NotFound(f"no action {action}")
    posted = await request.form()
    actor = check(caller, request, str(posted.get("csrf", "")), command.permission).actor
    ids = _bound_ids(command, posted)
    fixed = {name: str(value) for name, value in ids.items()}
    if command.bound:
        record_id = ids.pop(command.bound[0])
    more = forms.more_rows(posted)
    key = str(posted.get(forms.KEY_FIELD, "")) or None
    kept = {forms.KEY_FIELD: key} if command.keyed else {}  # shown again, the form keeps its key
    if forms.ADD_ROW in posted:
        more = min(more + 1, forms.MORE_ROWS)
        return Form(command, action, forms.typed(command.body_type, posted, more) | kept, current=True, more=more,
                    growing=True, fixed=fixed)
    values = forms.typed(command.body_type, posted, more) | kept
    body, errors = forms.parsed(command.body_type, posted, more)
    form = Form(command, action, values, current=True, more=more, fixed=fixed)
    if body is None:
        form.errors = {name: translate(request, message) for name, message in errors.items()}
        form.problem = translate(request, "The form has mistakes; see the fields marked.")
        return form
    service = _service(request.app.state.hub, command.service)
    try:
        await run_in_threadpool(command.run, service, actor, record_id, body, Posted(key if command.keyed else None, ids))
    except (NotFound, Forbidden):
        raise
    except HubError as refusal:
        message = said(request, refusal, command.summary)
        named = refusal.extensions.get("field")
        if isinstance(named, str) and named in values:
            form.errors = {named: message}
        form.problem = message
        return form
    return None


def _bound_ids(command: Command, posted: Any) -> dict[str, UUID]:
    """The ids a bound command's form came back with, by name; a form altered to name none is answered as a record
    that does not exist, as the API answers an unknown id."""
    try:
        return {name: UUID(str(posted.get(name, ""))) for name in command.bound}
    except ValueError:
        raise NotFound(f"no record for {command.summary}") from None
