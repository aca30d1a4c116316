"""A case's page: its state, clocks, intake actions and timeline, and the forms of its commands."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from hub.aggregates.case_vocabulary import IntakeAction
from hub.api.deps import Cases, Inbox, Reads
from hub.errors import NotFound
from hub.web.guard import SignedIn, back, check
from hub.web.rendering import page
from hub.web.timeline import sentence_of

router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case(request: Request, case_id: UUID, caller: SignedIn, reads: Reads, inbox: Inbox) -> Response:
    if caller is None:
        return back("/ui/login")
    record = reads.show(caller.actor, "case", case_id, purpose="web")
    child = reads.show(caller.actor, "child", UUID(record["child_id"]), purpose="web") if "child_id" in record else {}
    identity = child.get("identity", {})
    name = " ".join(p for p in (identity.get("given_name"), identity.get("family_name")) if p) or None
    try:
        timeline = [
            {"at": e.timestamp.isoformat(), "event": sentence_of(e),
             "user": e.actor.user, "agency": e.actor.agency}
            for e in reads.case_history(caller.actor, case_id)
        ]
    except NotFound:
        timeline = []
    return page(request, "case.html", caller, case=record, child_name=name, timeline=timeline,
                 clocks=inbox.clocks_of(caller.actor, "case", case_id), intake_actions=[str(a) for a in IntakeAction])


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
