"""/v1/children/{id}/consents: consent per purpose and recipient, given and withdrawn."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from hub.aggregates.consent import ConsentPurpose
from hub.api.auth import Caller, permitted
from hub.api.deps import Consents, Reads
from hub.api.problems import problem_responses
from hub.api.replies import answered
from hub.api.schemas.consents import GiveConsent, WithdrawConsent
from hub.records.consent import ConsentRecord
from hub.records.partial import partial
from hub.services.commit import Reply

VisibleConsent = partial(ConsentRecord)

router = APIRouter(prefix="/v1/children/{child_id}/consents", tags=["consent"])
ERRORS = problem_responses(400, 401, 403, 404, 409, 413, 422)


@router.post(
    "", response_model=VisibleConsent, response_model_exclude_unset=True, responses=ERRORS, summary="Record consent given"
)
def give(
    child_id: UUID,
    body: GiveConsent,
    caller: Annotated[Caller, Depends(permitted("consent.record"))],
    consents: Consents,
    response: Response,
) -> Any:
    reply = Reply("record consent")
    consents.give_consent(
        caller.actor,
        child_id,
        body.purpose,
        body.recipient,
        body.signatories,
        body.child_mature,
        body.method,
        body.expires_at,
        body.parent_refused,
        reply=reply,
    )
    return answered(reply, response)


@router.post(
    "/withdraw", response_model=VisibleConsent, response_model_exclude_unset=True, responses=ERRORS,
    summary="Record consent withdrawn",
)
def withdraw(
    child_id: UUID,
    body: WithdrawConsent,
    caller: Annotated[Caller, Depends(permitted("consent.record"))],
    consents: Consents,
    response: Response,
) -> Any:
    reply = Reply("record withdrawal")
    consents.withdraw_consent(caller.actor, child_id, body.purpose, body.recipient, body.reason, reply=reply)
    return answered(reply, response)


@router.get("", response_model=VisibleConsent, response_model_exclude_unset=True, responses=problem_responses(401, 403, 404, 422))
def status(
    *,
    child_id: UUID,
    purpose: ConsentPurpose = Query(...),
    recipient: str = Query(..., max_length=64),
    caller: Annotated[Caller, Depends(permitted("consent.read"))],
    reads: Reads,
    consents: Consents,
) -> Any:
    return reads.show(caller.actor, "consent", consents.consent_id(child_id, purpose, recipient))
