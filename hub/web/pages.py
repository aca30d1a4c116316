"""The managers' pages: sign in with a token, the inbox, a referral, a case; plain forms, no script needed.

Every page reads through the same services as the API, so it shows only what
the manager's view holds, and every read is recorded. Signing in starts a
server-side session (hub/web/sessions.py): the cookie holds the session's random
id, never the token. Forms post back and redirect (post/redirect/get); a CSRF
token derived from the session's id guards them.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from importlib import resources
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import ValidationError

from hub import clock
from hub.api.auth import Caller
from hub.api.deps import Cases, Inbox, Reads, Referrals
from hub.api.schemas.referrals import Decline
from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import IntakeAction
from hub.errors import Forbidden, HubError, InvalidInput, NotFound
from hub.inbox.item import NO_DEADLINE
from hub.permissions import may
from hub.services.inbox import DUE_SOON, InboxService
from hub.web.i18n import DEFAULT, LANGUAGES, translator
from hub.web.sessions import Sessions

COOKIE = "hub_session"
LANG_COOKIE = "hub_lang"
LOCAL = ZoneInfo("Asia/Almaty")
QUEUES = ["new", "mine", "cases", "due_soon", "overdue", "awaiting"]

router = APIRouter(prefix="/ui", include_in_schema=False)
_templates = Environment(
    loader=FileSystemLoader(str(resources.files("hub.web").joinpath("templates"))),
    autoescape=select_autoescape(["html"]),
)


def _language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    accepted = request.headers.get("accept-language", "")
    return next((code for code in (part.split(";")[0].strip()[:2] for part in accepted.split(",")) if code in LANGUAGES), DEFAULT)


def _csrf(session_id: str) -> str:
    return hmac.new(session_id.encode(), b"hub csrf", hashlib.sha256).hexdigest()


def _local(value: str | datetime | None) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(LOCAL).strftime("%d.%m.%Y %H:%M")


def _page(request: Request, template: str, caller: Caller | None, status: int = 200, **context: Any) -> HTMLResponse:
    lang = _language(request)
    session_id = request.cookies.get(COOKIE, "")
    html = _templates.get_template(template).render(
        t=translator(lang), lang=lang, caller=caller, csrf=_csrf(session_id) if session_id else "", **context
    )
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, samesite="strict", httponly=True, path="/ui")
    return response


def _sessions(request: Request) -> Sessions:
    return request.app.state.sessions  # type: ignore[no-any-return]


WebSessions = Annotated[Sessions, Depends(_sessions)]


def _signed_in(request: Request, sessions: WebSessions) -> Caller | None:
    session_id = request.cookies.get(COOKIE)
    # Tried: a refusal on this page is then recorded without looking the session up again.
    request.state.caller = sessions.resume(session_id) if session_id else None
    return request.state.caller  # type: ignore[no-any-return]


SignedIn = Annotated[Caller | None, Depends(_signed_in)]


def _check(caller: Caller | None, request: Request, csrf: str | None, command: str | None) -> Caller:
    if caller is None:
        raise Forbidden("sign in first")
    if csrf is not None and not hmac.compare_digest(csrf, _csrf(request.cookies.get(COOKIE, ""))):
        raise Forbidden("this form has expired; reload the page")
    if command is not None and not may(caller.agency.kind, caller.actor.role, command):
        raise Forbidden(f"a {caller.actor.role} may not {command}")
    return caller


def _back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@router.get("", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return _back("/ui/inbox")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return _page(request, "login.html", None)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, sessions: WebSessions, token: str = Form(..., max_length=200)) -> Response:
    session = sessions.start(token.strip())
    if session is None:
        request.app.state.refusals.record(request, 401, "unauthenticated")
        return _page(request, "login.html", None, status=401, error=translator(_language(request))("bad_token"))
    previous = request.cookies.get(COOKIE)
    if previous:
        sessions.end(previous)  # a new sign-in is a new session: an id known before it gives nothing
    response = _back("/ui/inbox")
    response.set_cookie(COOKIE, session.id, **_cookie(request))
    return response


@router.post("/logout")
def logout(request: Request, caller: SignedIn, sessions: WebSessions, csrf: str = Form(...)) -> Response:
    _check(caller, request, csrf, None)
    sessions.end(request.cookies[COOKIE])
    response = _back("/ui/login")
    response.delete_cookie(COOKIE, **_cookie(request))
    return response


def _cookie(request: Request) -> dict[str, Any]:
    """The session cookie: for the pages only, never read by a script, never sent from another site, and
    only over https where the hub is served over https."""
    return {"path": "/ui", "httponly": True, "samesite": "strict", "secure": request.url.scheme == "https"}


@router.get("/inbox", response_class=HTMLResponse)
def inbox(
    request: Request,
    caller: SignedIn,
    inbox: Inbox,
    queue: str = "new",
    cursor: str | None = None,
) -> Response:
    if caller is None:
        return _back("/ui/login")
    _check(caller, request, None, "inbox.read")
    queue = queue if queue in QUEUES else "new"  # the page names its queue too: an unknown one has no name
    page = inbox.inbox(caller.actor, queue, "due_at", False, 50, cursor)
    now = clock.now()
    items = []
    for item in page.items:
        due = datetime.fromisoformat(item.due_at) if item.due_at != NO_DEADLINE else None
        urgency = "" if due is None else "overdue" if due < now else "due_soon" if due < now + DUE_SOON else ""
        items.append({**vars(item), "due": _local(due), "urgency": urgency, "updated": _local(item.updated_at)})
    return _page(request, "inbox.html", caller, queue=queue, queues=QUEUES, items=items, next_cursor=page.next_cursor)


def _clocks(inbox: InboxService, caller: Caller, record_type: str, record_id: UUID) -> list[dict[str, Any]]:
    return [
        {**c, "started": _local(c["started_at"]), "due": _local(c["due_at"])}
        for c in inbox.clocks_of(caller.actor, record_type, record_id)
    ]


@router.get("/referrals/{referral_id}", response_class=HTMLResponse)
def referral(
    request: Request, referral_id: UUID, caller: SignedIn, reads: Reads, referrals: Referrals, inbox: Inbox
) -> Response:
    if caller is None:
        return _back("/ui/login")
    record = reads.show(caller.actor, "referral", referral_id, purpose="web")
    child = record.get("content", {}).get("child", {})
    name = " ".join(p for p in (child.get("given_name"), child.get("family_name")) if p) or None
    candidates = []
    if record.get("state") in ("submitted", "acknowledged") and may(caller.agency.kind, caller.actor.role, "referral.accept"):
        candidates = referrals.duplicate_candidates(caller.actor, referral_id)
    return _page(request, "referral.html", caller, referral=record, child_name=name,
                 clocks=_clocks(inbox, caller, "referral", referral_id), candidates=candidates)


@router.post("/referrals/{referral_id}/{action}")
def referral_action(
    request: Request,
    referral_id: UUID,
    action: str,
    caller: SignedIn,
    referrals: Referrals,
    csrf: str = Form(...),
    reasons: str = Form(""),
) -> Response:
    if action not in ("acknowledge", "accept", "decline"):
        raise NotFound(f"no action {action}")
    actor = _check(caller, request, csrf, f"referral.{action}").actor
    if action == "acknowledge":
        referrals.acknowledge_referral(actor, referral_id)
    elif action == "decline":
        referrals.decline_referral(actor, referral_id, _decline_reasons(reasons))
    elif isinstance(accepted := referrals.accept_referral(actor, referral_id), Case):
        return _back(f"/ui/cases/{accepted.id}")
    return _back(f"/ui/referrals/{referral_id}")  # an NGO's or the GTA's own service: no case (0034)


def _decline_reasons(text: str) -> list[str]:
    """One reason a line, held to the API's limits: the form is another way in, not a way around them."""
    try:
        return Decline(reasons=[line for line in text.splitlines() if line.strip()]).reasons
    except ValidationError as error:
        raise InvalidInput("reasons", error.errors()[0]["msg"]) from None


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case(request: Request, case_id: UUID, caller: SignedIn, reads: Reads, inbox: Inbox) -> Response:
    if caller is None:
        return _back("/ui/login")
    record = reads.show(caller.actor, "case", case_id, purpose="web")
    child = reads.show(caller.actor, "child", UUID(record["child_id"]), purpose="web") if "child_id" in record else {}
    identity = child.get("identity", {})
    name = " ".join(p for p in (identity.get("given_name"), identity.get("family_name")) if p) or None
    try:
        timeline = [
            {"at": e.timestamp.isoformat(), "when": _local(e.timestamp), "event": type(e).__name__,
             "user": e.actor.user, "agency": e.actor.agency}
            for e in reads.case_history(caller.actor, case_id)
        ]
    except NotFound:
        timeline = []
    return _page(request, "case.html", caller, case=record, child_name=name, timeline=timeline,
                 clocks=_clocks(inbox, caller, "case", case_id), intake_actions=[str(a) for a in IntakeAction],
                 local=_local)


@router.post("/cases/{case_id}/intake/{action}")
def intake_action(
    request: Request,
    case_id: UUID,
    action: IntakeAction,
    caller: SignedIn,
    cases: Cases,
    csrf: str = Form(...),
) -> Response:
    actor = _check(caller, request, csrf, "case.intake_action").actor
    cases.record_intake_action(actor, case_id, action, None)
    return _back(f"/ui/cases/{case_id}")


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
    actor = _check(caller, request, csrf, "case.assign_social_worker").actor
    cases.assign_social_worker(actor, case_id, social_worker, evidence_of_harm == "yes")
    return _back(f"/ui/cases/{case_id}")


async def on_error(request: Request, error: HubError) -> HTMLResponse:
    """Errors on the pages are pages too, in the reader's language; a refusal looks like absence."""
    caller = None
    status = 404 if isinstance(error, NotFound) else error.status
    t = translator(_language(request))
    message = t("not_allowed") if status in (403, 404) else error.detail
    return _page(request, "base.html", caller, status=status, error=message)
