"""An agency's portal: the referrals it sent with where each stands, the notices addressed to it with their
deadlines, and the intake form to send a referral (cam-csc-manual §2.3, Annex C; ngo-services-manual §2.4).

Every list is read through the same services as the API, with the same privacy policy: a body sees of its
own referrals what the API would show it, and nothing of anyone else's (docs/decisions/0049).
"""

from __future__ import annotations

from uuid import uuid4

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from hub.aggregates.referral_content import ReferralContent
from hub.api.auth import Caller
from hub.api.deps import Inbox, Reads, Referrals
from hub.errors import HubError
from hub.permissions import may
from hub.web import forms, words
from hub.web.form_errors import REFUSALS
from hub.web.guard import SignedIn, back, check
from hub.web.places import places
from hub.web.refusals import said
from hub.web.rendering import language, page, translate

router = APIRouter(prefix="/ui", include_in_schema=False)

@router.get("/portal", response_class=HTMLResponse)
def portal(request: Request, caller: SignedIn, reads: Reads, inbox: Inbox) -> Response:
    if caller is None:
        return back("/ui/login")
    check(caller, request, None, "inbox.read")
    sent = [r for r in reads.newest(caller.actor, "referral") if r.get("referrer_agency") == caller.agency.code]
    notices = inbox.inbox(caller.actor, "notices", "due_at", False, 50, None).items
    return page(request, "portal.html", caller, sent=sent, notices=notices, words=words,
                may_refer=may(caller.agency.kind, caller.actor.role, "referral.submit"))


def _form(request: Request, caller: Caller, values: dict[str, object], errors: dict[str, str],
          problem: str | None = None) -> Response:
    return page(request, "portal_referral.html", caller, status=422 if errors or problem else 200,
                fields=forms.fields_of(ReferralContent), values=values, errors=errors, problem=problem,
                sections=words.PARTS, words=words, places={"child.city": places(language(request))})


@router.get("/portal/referral", response_class=HTMLResponse)
def referral_form(request: Request, caller: SignedIn) -> Response:
    if caller is None:
        return back("/ui/login")
    check(caller, request, None, "referral.submit")
    # The form's own key: sent twice (a double click, a reload), it makes one referral.
    return _form(request, caller, {"idempotency_key": str(uuid4())}, {})


@router.post("/portal/referral", response_class=HTMLResponse)
async def submit(request: Request, caller: SignedIn, referrals: Referrals) -> Response:
    posted = await request.form()
    signed = check(caller, request, str(posted.get("csrf", "")), "referral.submit")
    values = {**forms.typed(ReferralContent, posted), "idempotency_key": str(posted.get("idempotency_key", ""))}
    content, errors = forms.parsed(ReferralContent, posted)
    if content is None:
        return _form(request, signed, values, {k: translate(request, v) for k, v in errors.items()},
                     translate(request, "The form has mistakes; see the fields marked."))
    key = values["idempotency_key"] or None
    try:
        submission = await run_in_threadpool(referrals.submit_referral, signed.actor, content, key)
    except HubError as refusal:
        known = REFUSALS.get(refusal.problem_type)
        message = translate(request, known) if known else said(request, refusal)
        named = refusal.extensions.get("field")
        return _form(request, signed, values, {named: message} if isinstance(named, str) and named in values else {},
                     message)
    return back(f"/ui/referrals/{submission.referral.id}")
