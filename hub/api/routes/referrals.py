"""/v1/referrals: agencies submit referrals; the receiving body answers them."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Response, status
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from hub.api.auth import Caller, permitted
from hub.api.deps import Reads, Referrals
from hub.api.problems import problem_responses
from hub.api.replies import answered
from hub.api.schemas.family import SiblingReferrals
from hub.api.schemas.referrals import (
    Acknowledge,
    Decline,
    Redirect,
    RefuseServiceConsent,
    SubmitReferral,
    Withdraw,
    WithdrawFamilyWish,
)
from hub.records.case import CaseRecord
from hub.records.partial import partial
from hub.records.referral import ReferralRecord
from hub.services.commit import Reply
from hub.services.family import siblings_linked
from hub.services.referrals import ReferralRequest

VisibleReferral = partial(ReferralRecord)
VisibleCase = partial(CaseRecord)

router = APIRouter(prefix="/v1/referrals", tags=["referrals"])
ERRORS = problem_responses(400, 401, 403, 404, 409, 413, 422)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=VisibleReferral, response_model_exclude_unset=True,
    responses={
        200: {"model": VisibleReferral, "description": "A repeat of an earlier submission (same Idempotency-Key)"},
        **problem_responses(400, 401, 403, 413, 422),
    },
    summary="Submit a referral",
)
async def submit(
    *,
    body: SubmitReferral,
    response: Response,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="Repeats with the same key return the first referral instead of creating another",
    ),
    caller: Annotated[Caller, Depends(permitted("referral.submit"))],
    referrals: Referrals,
) -> Any:
    # async, with the command in one hop to the thread pool: a sync route also hops there to validate its answer
    reply = Reply("submit")
    submission = await run_in_threadpool(
        referrals.submit_referral, caller.actor, body.content(), idempotency_key, child_id=body.child_id,
        recipient_agency=body.recipient_agency, reply=reply,
    )
    response.headers["Location"] = f"/v1/referrals/{submission.referral.id}"
    if not submission.created:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotency-Replayed"] = "true"
    return answered(reply, response)


class SiblingsSubmitted(BaseModel):
    referrals: list[VisibleReferral]  # type: ignore[valid-type]


@router.post(
    "/siblings",
    status_code=status.HTTP_201_CREATED, response_model=SiblingsSubmitted, response_model_exclude_unset=True,
    responses={
        200: {"model": SiblingsSubmitted, "description": "A repeat of an earlier submission (same Idempotency-Key)"},
        **problem_responses(400, 401, 403, 413, 422),
    },
    summary="Refer several siblings at once: one referral each, linked, in one transaction (decision 0041)",
)
def submit_siblings(
    *,
    body: SiblingReferrals,
    response: Response,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", max_length=200, pattern=r"^[\x21-\x7e]+$",
        description="Repeats with the same key return the first referrals instead of creating others",
    ),
    caller: Annotated[Caller, Depends(permitted("referral.submit"))],
    referrals: Referrals,
) -> Any:
    requests = [
        ReferralRequest(r.content(), f"{idempotency_key}/{i}" if idempotency_key else None, r.child_id, r.recipient_agency)
        for i, r in enumerate(body.referrals)
    ]
    submissions = referrals.submit_referrals(caller.actor, requests, siblings_linked(caller.actor, body.relation, body.reason))
    if not any(s.created for s in submissions):
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotency-Replayed"] = "true"
    return {"referrals": referrals.receipts(caller.actor, submissions)}


@router.get(
    "/{referral_id}", response_model=VisibleReferral, response_model_exclude_unset=True,
    responses=problem_responses(401, 403, 404, 422),
)
def read(
    referral_id: UUID,
    caller: Annotated[Caller, Depends(permitted("referral.read"))],
    reads: Reads,
) -> Any:
    return reads.show(caller.actor, "referral", referral_id)


@router.post("/{referral_id}/acknowledge", response_model=VisibleReferral, response_model_exclude_unset=True, responses=ERRORS)
def acknowledge(
    referral_id: UUID,
    body: Acknowledge,
    caller: Annotated[Caller, Depends(permitted("referral.acknowledge"))],
    referrals: Referrals,
    response: Response,
) -> Any:
    reply = Reply("acknowledge")
    referrals.acknowledge_referral(caller.actor, referral_id, body.note, reply=reply)
    return answered(reply, response)


@router.post(
    "/{referral_id}/accept", response_model=VisibleCase | VisibleReferral, response_model_exclude_unset=True,
    status_code=201, responses=ERRORS,
)
def accept(
    referral_id: UUID,
    caller: Annotated[Caller, Depends(permitted("referral.accept"))],
    referrals: Referrals,
    response: Response,
) -> Any:
    """A CAM/CSC allocates the referral to a case (opened, or the child's open case, or a readmission) and is
    answered with the case; an NGO, or the GTA, accepts it for its own service, opens no case and is answered
    with the referral (docs/decisions/0034)."""
    reply = Reply("accept")
    referrals.accept_referral(caller.actor, referral_id, reply=reply)
    return answered(reply, response)


@router.post("/{referral_id}/decline", response_model=VisibleReferral, response_model_exclude_unset=True, responses=ERRORS)
def decline(
    referral_id: UUID,
    body: Decline,
    caller: Annotated[Caller, Depends(permitted("referral.decline"))],
    referrals: Referrals,
    response: Response,
) -> Any:
    reply = Reply("decline")
    referrals.decline_referral(caller.actor, referral_id, body.reasons, reply=reply)
    return answered(reply, response)


@router.post("/{referral_id}/redirect", response_model=VisibleReferral, response_model_exclude_unset=True, responses=ERRORS)
def redirect(
    referral_id: UUID,
    body: Redirect,
    caller: Annotated[Caller, Depends(permitted("referral.redirect"))],
    referrals: Referrals,
    response: Response,
) -> Any:
    reply = Reply("redirect")
    referrals.redirect_referral(caller.actor, referral_id, body.to_agency, body.reason, reply=reply)
    return answered(reply, response)


@router.post(
    "/{referral_id}/consent-refused", response_model=VisibleReferral, response_model_exclude_unset=True,
    responses=ERRORS, summary="Record that the child or parent did not consent to the NGO's service",
)
def consent_refused(
    referral_id: UUID,
    body: RefuseServiceConsent,
    caller: Annotated[Caller, Depends(permitted("ngo_service.consent_refused"))],
    referrals: Referrals,
    response: Response,
) -> Any:
    """On a referral the NGO accepted for its own service; the referrer is told (ngo N09, N10; decision 0034)."""
    reply = Reply("consent-refused")
    referrals.refuse_service_consent(caller.actor, referral_id, body.service, body.note, reply=reply)
    return answered(reply, response)


@router.post("/{referral_id}/withdraw", response_model=VisibleReferral, response_model_exclude_unset=True, responses=ERRORS)
def withdraw(
    referral_id: UUID,
    body: Withdraw,
    caller: Annotated[Caller, Depends(permitted("referral.withdraw"))],
    referrals: Referrals,
    response: Response,
) -> Any:
    reply = Reply("withdraw")
    referrals.withdraw_referral(caller.actor, referral_id, body.reason, reply=reply)
    return answered(reply, response)


@router.post(
    "/{referral_id}/family-wish/withdraw", response_model=VisibleReferral, response_model_exclude_unset=True,
    responses=ERRORS, summary="The child withdraws the wish that the parents are not told, through the body the child came to",
)
def withdraw_family_wish(
    referral_id: UUID,
    body: WithdrawFamilyWish,
    caller: Annotated[Caller, Depends(permitted("referral.withdraw_family_wish"))],
    referrals: Referrals,
    response: Response,
) -> Any:
    """From this moment the parents' side sees what its grants give; what was read before stays as it was read
    (decision 0050)."""
    reply = Reply("withdraw-family-wish")
    referrals.withdraw_family_wish(caller.actor, referral_id, body.note, reply=reply)
    return answered(reply, response)


class Candidate(BaseModel):
    child_id: UUID | None = Field(None, description="absent when the child is managed by another centre")
    likelihood: str
    score: float | None
    matched: list[str]
    referral_ids: list[UUID]
    open_case_ids: list[UUID]
    managed_by: str | None
    suggests: Literal["same_child", "sibling"] = Field(
        ..., description="the same child (link the referral to it) or a brother or sister (link the two children)")
    summary: str


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid")

    child_id: UUID = Field(..., description="the known child this referral is about")


@router.get(
    "/{referral_id}/duplicates",
    response_model=list[Candidate],
    responses=problem_responses(401, 403, 404, 410, 422),
    summary="Children the hub knows who may be this referral's child",
)
def duplicates(
    referral_id: UUID, caller: Annotated[Caller, Depends(permitted("referral.accept"))], referrals: Referrals
) -> list[Candidate]:
    return [
        Candidate(child_id=c.child_id, likelihood=c.likelihood, score=c.score, matched=list(c.matched),
                  referral_ids=list(c.referral_ids), open_case_ids=list(c.open_case_ids), managed_by=c.managed_by,
                  suggests=c.suggests, summary=c.summary)
        for c in referrals.duplicate_candidates(caller.actor, referral_id)
    ]


@router.post(
    "/{referral_id}/link",
    response_model=VisibleReferral,
    response_model_exclude_unset=True,
    responses=ERRORS,
    summary="Say the referral is about a child the hub already knows",
)
def link(
    referral_id: UUID, body: Link, caller: Annotated[Caller, Depends(permitted("referral.accept"))],
    referrals: Referrals,
    response: Response,
) -> Any:
    reply = Reply("link")
    referrals.link_to_child(caller.actor, referral_id, body.child_id, reply=reply)
    return answered(reply, response)
