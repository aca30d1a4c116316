"""/v1/survivor-reports: an adult's report of abuse suffered as a child, and referrals for the minor siblings still
at risk (violence-system-evaluation §3.1, Adel; docs/decisions/0041)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Response, status
from pydantic import BaseModel

from hub.aggregates.referral_content import ReferralContent
from hub.api.auth import Caller, permitted
from hub.api.deps import Reads, Referrals, Survivors
from hub.api.problems import problem_responses
from hub.api.schemas.family import SurvivorReportBody
from hub.records.partial import partial
from hub.records.referral import ReferralRecord
from hub.records.survivor_report import SurvivorReportRecord
from hub.services.referrals import ReferralRequest
from hub.services.survivors import Survivor

router = APIRouter(prefix="/v1/survivor-reports", tags=["survivor reports"])
VisibleReport = partial(SurvivorReportRecord)
VisibleReferral = partial(ReferralRecord)


class ReportRecorded(BaseModel):
    report: VisibleReport  # type: ignore[valid-type]
    referrals: list[VisibleReferral]  # type: ignore[valid-type]


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=ReportRecorded, response_model_exclude_unset=True,
    responses={200: {"model": ReportRecorded, "description": "A repeat of an earlier report (same Idempotency-Key)"},
               **problem_responses(400, 401, 403, 413, 422)},
    summary="Record an adult survivor's report and refer the minor siblings living with the person accused",
)
def report(
    *,
    body: SurvivorReportBody,
    response: Response,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", max_length=200, pattern=r"^[\x21-\x7e]+$",
        description="Repeats with the same key return the first report instead of recording another",
    ),
    caller: Annotated[Caller, Depends(permitted("survivor.report"))],
    survivors: Survivors,
    referrals: Referrals,
    reads: Reads,
) -> Any:
    who = body.survivor
    survivor = Survivor(
        identity=who.model_dump(mode="json", include={"given_name", "family_name", "patronymic", "sex", "city"}),
        date_of_birth=who.date_of_birth, stated_age=who.stated_age, account=body.account,
        abuser=body.abuser.model_dump(mode="json"),
    )
    siblings = [
        ReferralRequest(
            ReferralContent(referrer=body.referrer, child=child, parents=body.parents, concern=body.sibling_concern,
                            consent=body.consent),
            f"{idempotency_key}/{i}" if idempotency_key else None,
        )
        for i, child in enumerate(body.siblings)
    ]
    recorded, submissions, created = survivors.report(
        caller.actor, survivor, siblings, body.to_survivor, body.among_siblings, idempotency_key
    )
    response.headers["Location"] = f"/v1/survivor-reports/{recorded.id}"
    if not created:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotency-Replayed"] = "true"
    return {"report": survivors.shown(caller.actor, recorded), "referrals": referrals.receipts(caller.actor, submissions)}


@router.get(
    "/{report_id}", response_model=VisibleReport, response_model_exclude_unset=True,
    responses=problem_responses(401, 403, 404, 422),
)
def read(report_id: UUID, caller: Annotated[Caller, Depends(permitted("survivor.read"))], reads: Reads) -> Any:
    return reads.show(caller.actor, "survivor_report", report_id)
