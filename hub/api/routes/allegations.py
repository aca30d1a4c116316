"""/v1/allegations: the staff-harm protocol (cam 11.3, ngo 13.4; docs/decisions/0035).

Any staff member reports; the reporting person reads its receipt; the employer's Safeguarding Lead and
the investigating body act on the allegation. To every other body, the accused one above all, an
allegation does not exist (404).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Response, status
from pydantic import BaseModel

from hub.api.auth import Caller, permitted
from hub.api.deps import Allegations, Reads
from hub.api.problems import problem_responses
from hub.api.routes.commands import Run, command_route
from hub.api.schemas import allegations as s
from hub.records.allegation import AllegationRecord
from hub.records.partial import partial
from hub.services.allegations import AllegationReceipt
from hub.services.referrals import ReferralRequest

router = APIRouter(prefix="/v1/allegations", tags=["allegations"])
VisibleAllegation = partial(AllegationRecord)


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=AllegationReceipt,
    responses={200: {"model": AllegationReceipt, "description": "A repeat of an earlier report (same Idempotency-Key)"},
               **problem_responses(400, 401, 403, 413, 422)},
    summary="Report an allegation of harm by staff",
)
def report(
    *,
    body: s.ReportAllegation,
    response: Response,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", max_length=255, pattern=r"^[\x21-\x7e]+$",
        description="Repeats with the same key return the first report instead of recording another",
    ),
    caller: Annotated[Caller, Depends(permitted("allegation.report"))],
    allegations: Allegations,
) -> AllegationReceipt:
    referral = body.referral
    request = ReferralRequest(
        referral.content(), idempotency_key, referral.child_id, referral.recipient_agency, body.details()
    )
    receipt, created = allegations.report(caller.actor, request)
    response.headers["Location"] = f"/v1/allegations/{receipt.id}/receipt"
    if not created:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotency-Replayed"] = "true"
    return receipt


@router.get("/{allegation_id}/receipt", response_model=AllegationReceipt, responses=problem_responses(401, 403, 404, 422))
def receipt(
    allegation_id: UUID, caller: Annotated[Caller, Depends(permitted("allegation.read"))], allegations: Allegations
) -> AllegationReceipt:
    """The reporting person's receipt: that the hub holds the report, when it was received, where it stands."""
    return allegations.receipt(caller.actor, allegation_id)


@router.get(
    "/{allegation_id}", response_model=VisibleAllegation, response_model_exclude_unset=True,
    responses=problem_responses(401, 403, 404, 422),
)
def read(allegation_id: UUID, caller: Annotated[Caller, Depends(permitted("allegation.read"))], reads: Reads) -> Any:
    return reads.show(caller.actor, "allegation", allegation_id)


def _command(path: str, body_type: type[BaseModel], permission: str, run: Run, summary: str) -> None:
    command_route(router, path, "allegation_id", body_type, permission, Allegations, run, summary, VisibleAllegation)


_command("/{allegation_id}/remove-from-contact", s.RemoveFromContact, "allegation.remove_from_contact",
         lambda h, a, i, b, r: h.remove_from_contact(a, i, reply=r), "Record the staff member's removal from contact")
_command("/{allegation_id}/refer-investigation", s.ReferInvestigation, "allegation.refer_investigation",
         lambda h, a, i, b, r: h.refer_investigation(a, i, reply=r), "Refer an allegation to the police")
_command("/{allegation_id}/progress", s.ReportProgress, "allegation.report_progress",
         lambda h, a, i, b, r: h.report_progress(a, i, b.text, reply=r), "Report an investigation's progress")
_command("/{allegation_id}/conclude", s.Conclude, "allegation.conclude",
         lambda h, a, i, b, r: h.conclude(a, i, b.outcome, b.directions, reply=r), "Conclude an allegation")
