"""A child harmed by another minor (violence-system-evaluation S7; docs/decisions/0050): the alleged perpetrator
recorded on the harmed child's referral with a referral of his own, the pair shown only where both sides are,
and the S7 steps taken for each child."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Response, status
from pydantic import BaseModel

from hub.actor import Actor
from hub.aggregates.involvement import Involvement
from hub.api.auth import Caller, permitted
from hub.api.deps import Involvements, Referrals
from hub.api.problems import problem_responses
from hub.api.routes.commands import Command, Posted, form_only
from hub.api.schemas.involvement import InvolvementStep, MinorPerpetrator
from hub.records.involvement import InvolvementRecord
from hub.records.partial import partial
from hub.records.referral import ReferralRecord
from hub.services.involvements import InvolvementService
from hub.services.referrals import ReferralRequest, Submission

router = APIRouter(tags=["involvements"])
VisibleInvolvement = partial(InvolvementRecord)
VisibleReferral = partial(ReferralRecord)


class PerpetratorRecorded(BaseModel):
    referral: VisibleReferral  # type: ignore[valid-type]
    involvement: VisibleInvolvement  # type: ignore[valid-type]


@router.post(
    "/v1/referrals/{referral_id}/minor-perpetrator", status_code=status.HTTP_201_CREATED,
    response_model=PerpetratorRecorded, response_model_exclude_unset=True,
    responses={200: {"model": PerpetratorRecorded, "description": "A repeat of an earlier recording (same Idempotency-Key)"},
               **problem_responses(400, 401, 403, 404, 413, 422)},
    summary="Record that the alleged perpetrator is a minor, with a referral for his own protection needs; the "
            "involvement is empty to a body not shown both children",
)
def record_perpetrator(
    *,
    referral_id: UUID,
    body: MinorPerpetrator,
    response: Response,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", max_length=200, pattern=r"^[\x21-\x7e]+$",
        description="Repeats with the same key return the first recording instead of making another",
    ),
    caller: Annotated[Caller, Depends(permitted("involvement.record"))],
    involvements: Involvements,
    referrals: Referrals,
) -> Any:
    submission, side = _record(involvements, caller.actor, referral_id, body, idempotency_key)
    if not submission.created:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotency-Replayed"] = "true"
    [receipt] = referrals.receipts(caller.actor, [submission])
    return {"referral": receipt, "involvement": involvements.shown(caller.actor, side)}


def _record(
    involvements: InvolvementService, actor: Actor, referral_id: UUID, body: MinorPerpetrator, key: str | None
) -> tuple[Submission, Involvement]:
    his = body.perpetrator
    request = ReferralRequest(his.content(), key, his.child_id, his.recipient_agency)
    return involvements.record_perpetrator(actor, referral_id, request, body.setting, body.reason)


# The pages record it from the harmed child's referral with the same body, permission and service.
form_only(Command("/v1/referrals", "/{referral_id}/minor-perpetrator", MinorPerpetrator, "involvement.record",
                  Involvements, lambda h, a, i, b, posted: _record(h, a, i, b, posted.idempotency_key),
                  "Record that the alleged perpetrator is a minor", keyed=True))


@router.get(
    "/v1/children/{child_id}/involvements", response_model=list[VisibleInvolvement],  # type: ignore[valid-type]
    response_model_exclude_unset=True, responses=problem_responses(401, 403, 404, 422),
    summary="The child's matters with another minor that the caller is shown both children of",
)
def involvements_of(
    child_id: UUID, caller: Annotated[Caller, Depends(permitted("child.read"))], involvements: Involvements
) -> Any:
    return involvements.of(caller.actor, child_id)


@router.post(
    "/v1/children/{child_id}/involvements/{involvement_id}/steps", response_model=VisibleInvolvement,
    response_model_exclude_unset=True, responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
    summary="Record an S7 step taken for this child: psychological help, this child's parents met, the inspector "
            "called, the violence documented, monitoring until a date",
)
def record_step(
    child_id: UUID, involvement_id: UUID, body: InvolvementStep,
    caller: Annotated[Caller, Depends(permitted("involvement.step"))], involvements: Involvements,
) -> Any:
    return involvements.record_step(caller.actor, child_id, involvement_id, body.step, body.note, body.until)


def _step(involvements: InvolvementService, actor: Actor, child_id: UUID, body: InvolvementStep, posted: Posted) -> Any:
    return involvements.record_step(actor, child_id, posted.bound["involvement_id"], body.step, body.note, body.until)


# The pages record a step beside the tie on a referral's page, bound to the tie's child and side.
form_only(Command("/v1/children", "/{child_id}/involvements/{involvement_id}/steps", InvolvementStep,
                  "involvement.step", Involvements, _step, "Record a step taken for this child",
                  bound=("child_id", "involvement_id")))
