"""A referral's page: what the caller may see of it, its clocks, likely earlier records, its decisions, and another
minor in the matter: the tie where the reader is shown both children, and the form that records one (0050, 0060)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from hub.aggregates.case import Case
from hub.api.auth import Caller
from hub.api.deps import Inbox, Involvements, Reads, Referrals
from hub.api.schemas.referrals import Decline
from hub.errors import NotFound
from hub.permissions import may
from hub.services.inbox import InboxService
from hub.services.involvements import InvolvementService
from hub.services.reads import ReadService
from hub.services.referrals import ReferralService
from hub.web import command_forms, involvements, words
from hub.web.form_errors import message
from hub.web.guard import SignedIn, back, check
from hub.web.labels import N_
from hub.web.places import places
from hub.web.rendering import language, page

router = APIRouter(prefix="/ui", include_in_schema=False)
REASONS = N_("Reasons for declining (one per line)")
SELF_REFERRAL = frozenset({"perpetrator.self_referral"})
DECISIONS = ("acknowledge", "accept", "decline")


@dataclass(frozen=True)
class ReferralPageServices:
    reads: ReadService
    referrals: ReferralService
    inbox: InboxService
    involvements: InvolvementService


def _services(reads: Reads, referrals: Referrals, inbox: Inbox, involvements: Involvements) -> ReferralPageServices:
    return ReferralPageServices(reads, referrals, inbox, involvements)


Services = Annotated[ReferralPageServices, Depends(_services)]


@router.get("/referrals/{referral_id}", response_class=HTMLResponse)
def referral(request: Request, referral_id: UUID, caller: SignedIn, services: Services) -> Response:
    if caller is None:
        return back("/ui/login")
    return _page(request, referral_id, caller, services)


def _page(
    request: Request, referral_id: UUID, caller: Caller, services: ReferralPageServices, status: int = 200,
    failed: command_forms.Form | None = None, **form: Any,
) -> Response:
    """The referral's page; ``failed``: a refused command's form, ``form``: a refused decline's typed reasons and
    the error beside them."""
    record = services.reads.show(caller.actor, "referral", referral_id, purpose="web")
    child = record.get("content", {}).get("child", {})
    name = " ".join(p for p in (child.get("given_name"), child.get("family_name")) if p) or None
    # Only the receiving body decides on a referral (as the service holds it): the sender, or a body told of it,
    # is offered no button that would be refused.
    ours = record.get("recipient_agency") == caller.actor.agency
    decides = {a for a in DECISIONS if ours and may(caller.agency.kind, caller.actor.role, f"referral.{a}")}
    candidates = []
    if record.get("state") in ("submitted", "acknowledged") and "accept" in decides:
        candidates = services.referrals.duplicate_candidates(caller.actor, referral_id)
    forms = command_forms.offered(caller, "referrals", failed=failed)
    for offered in forms:  # the child came forward himself: not how a school or the police record a perpetrator
        offered.parts_left_out = SELF_REFERRAL
    # the alleged perpetrator's own referral's place is a choice of the country's units, as on the portal's form
    choices = {offered.action: {"perpetrator.child.city": places(language(request))} for offered in forms}
    return page(request, "referral.html", caller, status=422 if failed is not None else status, referral=record,
                child_name=name, reference=str(referral_id)[:8],
                clocks=services.inbox.clocks_of(caller.actor, "referral", referral_id),
                candidates=candidates, decides=decides, words=words, forms=forms, choices=choices,
                involvements=involvements.shown(services.involvements, services.reads, caller, referral_id, failed), **form)


@router.post("/referrals/{referral_id}/act/{action}", response_class=HTMLResponse)
async def act(request: Request, referral_id: UUID, action: str, caller: SignedIn, services: Services) -> Response:
    """A command of the referral's forms (recording that the alleged perpetrator is a minor, a step for a child of
    one of its ties), back to the page."""
    signed = check(caller, request, None, None)
    kind = involvements.KIND if action == involvements.STEP else "referrals"
    failed = await command_forms.run(request, signed, kind, referral_id, action)
    if failed is None:
        return back(f"/ui/referrals/{referral_id}")
    return await run_in_threadpool(_page, request, referral_id, signed, services, failed=failed)


@router.post("/referrals/{referral_id}/same-child/{child_id}")
def same_child(
    request: Request, referral_id: UUID, child_id: UUID, caller: SignedIn, referrals: Referrals, csrf: str = Form(...)
) -> Response:
    """The duplicate check's candidate is this referral's child: the API's /link (hub/services/same_child.py)."""
    actor = check(caller, request, csrf, "referral.accept").actor
    linked = referrals.link_to_child(actor, referral_id, child_id)
    return back(f"/ui/referrals/{linked.id}")  # the referral carried on for the known child


@router.post("/referrals/{referral_id}/{action}")
def referral_action(
    request: Request,
    referral_id: UUID,
    action: str,
    caller: SignedIn,
    services: Services,
    csrf: str = Form(...),
    reasons: str = Form(""),
) -> Response:
    if action not in ("acknowledge", "accept", "decline"):
        raise NotFound(f"no action {action}")
    signed = check(caller, request, csrf, f"referral.{action}")
    actor, referrals = signed.actor, services.referrals
    if action == "acknowledge":
        referrals.acknowledge_referral(actor, referral_id)
    elif action == "decline":
        try:
            declined = Decline(reasons=[line for line in reasons.splitlines() if line.strip()]).reasons
        except ValidationError as error:  # held to the API's limits: the form is another way in, not around them
            refused = message(language(request), REASONS, error.errors()[0])
            return _page(request, referral_id, signed, services, status=422, typed_reasons=reasons,
                         reasons_error=refused)
        referrals.decline_referral(actor, referral_id, declined)
    elif isinstance(accepted := referrals.accept_referral(actor, referral_id), Case):
        return back(f"/ui/cases/{accepted.id}")
    return back(f"/ui/referrals/{referral_id}")  # an NGO's or the GTA's own service: no case (0034)

