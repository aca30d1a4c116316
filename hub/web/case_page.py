"""A case's page: what the caller's view holds of it, its clocks, who was told what, the timeline in words, and
the form of every command the caller's role may run on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from hub.aggregates.case_vocabulary import IntakeAction
from hub.api.auth import Caller
from hub.api.deps import Attachments, Cases, Directory, Inbox, Reads, Tokens
from hub.api.schemas.cases import TimelineEntry
from hub.errors import NotFound
from hub.permissions import may
from hub.services.attachments import AttachmentService
from hub.services.directory import DirectoryService
from hub.services.inbox import InboxService
from hub.services.reads import ReadService
from hub.services.tokens import TokenService
from hub.web import case_file, command_forms, words
from hub.web.case_file import Filing
from hub.web.case_steps import CLOSING_GUARDS, PLAN_OUTLINE, STAGED, STEPS, TAKEN_APART
from hub.web.guard import SignedIn, back, check
from hub.web.i18n import translations
from hub.web.rendering import language, local_time, page
from hub.web.responsible import responsible_choices
from hub.web.staff import staff_of
from hub.web.timeline import sentence_of

router = APIRouter(prefix="/ui", include_in_schema=False)


def _told(reads: Any, caller: Caller, child_id: UUID | None, case_id: UUID) -> list[dict[str, Any]]:
    """The notices raised on this case that the caller's body may see: who was told, of what, where it stands."""
    if child_id is None:
        return []
    try:
        records = reads.visible_records(caller.actor, child_id)
    except NotFound:
        return []
    return [r["record"] for r in records
            if r["record_type"] == "notice" and r["record"].get("record_id") == str(case_id)]


def _timeline(reads: Any, caller: Caller, case_id: UUID) -> list[TimelineEntry]:
    try:
        return [TimelineEntry.of(e) for e in reads.case_history(caller.actor, case_id)]
    except NotFound:  # a body that may not see every field of the case sees no raw history
        return []


def _start_plan(form: command_forms.Form, current: Any, outline: str) -> None:
    """A plan's form starts from the plan in force where it amends it (its summary and every item, with rows
    enough), else from what the manual says a plan holds."""
    if not isinstance(current, dict):
        form.values["plan"] = outline
        return
    items = words.listed(current.get("items"))
    form.more = max(0, len(items) - len({f.row for f in form.fields if f.row is not None}))
    form.values["plan"] = current.get("summary", "")
    form.values |= {f"items.{row}.{key}": value for row, item in enumerate(items) for key, value in item.items()}


@dataclass(frozen=True)
class CasePageServices:
    """What the case page reads through: the services the API's routes use."""

    reads: ReadService
    inbox: InboxService
    tokens: TokenService
    directory: DirectoryService
    attachments: AttachmentService


def _services(reads: Reads, inbox: Inbox, tokens: Tokens, directory: Directory, attachments: Attachments) -> CasePageServices:
    return CasePageServices(reads, inbox, tokens, directory, attachments)


Services = Annotated[CasePageServices, Depends(_services)]


def case_view(request: Request, caller: Caller, case_id: UUID, services: CasePageServices,
              failed: command_forms.Form | None = None, filing: Filing | None = None) -> Response:
    reads, inbox, tokens, directory = services.reads, services.inbox, services.tokens, services.directory
    record = reads.show(caller.actor, "case", case_id, purpose="web")
    child_id = UUID(record["child_id"]) if "child_id" in record else None
    child = reads.show(caller.actor, "child", child_id, purpose="web") if child_id else {}
    state = record.get("state", "")
    say = translations(language(request)).gettext
    forms = [] if state == "closed" else command_forms.offered(
        caller, "cases", TAKEN_APART, STEPS.get(state, frozenset()), STAGED, failed)
    for form in forms:
        if form is not failed and any(f.name == "plan" for f in form.fields):
            _start_plan(form, record.get("plan") if form.action == "plan-amendments" else None, say(PLAN_OUTLINE))
    meetings = {"meeting_id": [
        (m["id"], f"{say(str(m['meeting']))}, {local_time(m['at'], language(request))}")
        for m in words.listed(record.get("meetings")) if isinstance(m, dict) and {"id", "meeting", "at"} <= set(m)
    ]}
    choices = {form.action: meetings for form in forms if form.action == "meetings-rejections"}
    planned = [form for form in forms if any(f.key == "responsible" for f in form.fields)]
    if planned:
        responsible = responsible_choices(directory, caller.agency.code, say)
        choices |= {form.action: {f.name: responsible for f in form.fields if f.key == "responsible"} for form in planned}
    refused = (failed is not None and not failed.growing) or filing is not None
    return page(
        request, "case.html", caller, status=422 if refused else 200, case=record,
        child_name=words.child_name(child), timeline=_timeline(reads, caller, case_id),
        told=_told(reads, caller, child_id, case_id), clocks=inbox.clocks_of(caller.actor, "case", case_id),
        intake_actions=[str(a) for a in IntakeAction], forms=forms, closing_guards=CLOSING_GUARDS,
        staff=staff_of(tokens, caller) if state == "intake" else [], words=words, say=say, sentence=sentence_of,
        choices=choices, plan=record.get("plan") if isinstance(record.get("plan"), dict) else None,
        files=case_file.files_of(services.attachments, caller.actor, record), filing=filing,
        may_add_files=may(caller.agency.kind, caller.actor.role, "attachment.add"),
        file_records=case_file.record_options(record), on_record=case_file.ON, categories=case_file.CATEGORIES,
        max_megabytes=case_file.megabytes(services.attachments.settings.max_bytes),
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case(request: Request, case_id: UUID, caller: SignedIn, services: Services) -> Response:
    if caller is None:
        return back("/ui/login")
    return case_view(request, caller, case_id, services)


@router.post("/cases/{case_id}/act/{action}", response_class=HTMLResponse)
async def act(request: Request, case_id: UUID, action: str, caller: SignedIn, services: Services) -> Response:
    signed = check(caller, request, None, None)
    failed = await command_forms.run(request, signed, "cases", case_id, action)
    if failed is None:
        return back(f"/ui/cases/{case_id}")
    return case_view(request, signed, case_id, services, failed)


@router.post("/cases/{case_id}/intake/{action}")
def intake_action(
    request: Request,
    case_id: UUID,
    action: IntakeAction,
    caller: SignedIn,
    cases: Cases,
    csrf: str = Form(...),
) -> Response:
    actor = check(caller, request, csrf, "case.intake_action").actor
    cases.record_intake_action(actor, case_id, action, None)
    return back(f"/ui/cases/{case_id}")


@router.post("/cases/{case_id}/social-worker")
def assign(
    request: Request,
    case_id: UUID,
    caller: SignedIn,
    cases: Cases,
    csrf: str = Form(...),
    social_worker: str = Form(..., max_length=200),
    evidence_of_harm: str = Form(""),
) -> Response:
    actor = check(caller, request, csrf, "case.assign_social_worker").actor
    cases.assign_social_worker(actor, case_id, social_worker, evidence_of_harm == "yes")
    return back(f"/ui/cases/{case_id}")
