"""/v1/children/{id}/consents: consent per purpose and recipient, given and withdrawn."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from hub.aggregates.consent import ConsentPurpose, consent_id_for
from hub.api.deps import Consents, Reads
from hub.api.auth import Caller, permitted
from hub.api.problems import problem_responses
from hub.api.schemas.consents import GiveConsent, WithdrawConsent
from hub.records.consent import ConsentRecord
from hub.records.partial import partial

VisibleConsent = partial(ConsentRecord)

router = APIRouter(prefix="/v1/children/{child_id}/consents", tags=["consent"])
ERRORS = problem_responses(400, 401, 403, 404, 409, 413, 422)


@router.post("", response_model=VisibleConsent, response_model_exclude_unset=True, responses=ERRORS, summary="Record consent given")
def give(
    child_id: UUID,
    body: GiveConsent,
    caller: Annotated[Caller, Depends(permitted("consent.record"))],
    consents: Consents, reads: Reads,
) -> Any:
    consent = consents.give_consent(
        caller.actor,
        child_id,
        body.purpose,
        body.recipient,
        body.signatories,
        body.child_mature,
        body.method,
        body.expires_at,
        body.parent_refused,
    )
    return reads.answer(caller.actor, "consent", consent.id, purpose="record consent")


@router.post("/withdraw", response_model=VisibleConsent, response_model_exclude_unset=True, responses=ERRORS, summary="Record consent withdrawn")
def withdraw(
    child_id: UUID,
    body: WithdrawConsent,
    caller: Annotated[Caller, Depends(permitted("consent.record"))],
    consents: Consents, reads: Reads,
) -> Any:
    consent = consents.withdraw_consent(caller.actor, child_id, body.purpose, body.recipient, body.reason)
    return reads.answer(caller.actor, "consent", consent.id, purpose="record withdrawal")


@router.get("", response_model=VisibleConsent, response_model_exclude_unset=True, responses=problem_responses(401, 403, 404, 422))
def status(
    *,
    child_id: UUID,
    purpose: ConsentPurpose = Query(...),
    recipient: str = Query(..., max_length=64),
    caller: Annotated[Caller, Depends(permitted("consent.read"))],
    reads: Reads,
) -> Any:
    return reads.show(caller.actor, "consent", consent_id_for(child_id, purpose, recipient))
