"""/v1/statistics/indicators: the manual's monitoring indicators, anonymised, by replay (JSON, or CSV)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from hub.api import deps
from hub.api.auth import Caller, permitted
from hub.api.csv_response import CSV, csv_attachment, wants_csv
from hub.api.problems import problem_responses
from hub.api.routes.records import ReceivesStatistics
from hub.reports.csv import indicators_csv

router = APIRouter(tags=["records"])


class IndicatorCell(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    indicator: str = Field(..., description="the manual's number (cam-csc-manual Table 1), or admissions")
    title: str
    breakdown: str = Field(..., description='"total", "children" (distinct), or a disaggregation')
    label: str = Field(..., description='the disaggregation\'s category; "" for the total and the children')
    count: int | None = Field(..., description="null: suppressed, below minimum_cell or revealing one that is")


class IndicatorPeriod(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    start: datetime = Field(..., description="inclusive")
    end: datetime = Field(..., description="exclusive")


class Indicators(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    generated_at: datetime
    as_of: datetime = Field(..., description="the log was replayed up to this moment")
    period: IndicatorPeriod
    minimum_cell: int
    events_replayed: int
    children_erased: int = Field(..., description="not counted: their personal data was erased")
    cells: list[IndicatorCell]


@router.get(
    "/v1/statistics/indicators",
    response_model=Indicators,
    responses={200: {"content": {CSV: {"schema": {"type": "string"}}}}, **problem_responses(401, 403, 422)},
    summary="The monitoring indicators of a period, by referral, admission and child, anonymised (never a child)",
)
def indicators(
    *,
    request: Request,
    start: AwareDatetime = Query(..., alias="from", description="ISO 8601 with a time zone, inclusive"),
    end: AwareDatetime = Query(..., alias="to", description="ISO 8601 with a time zone, exclusive"),
    as_of: AwareDatetime | None = Query(None, description="replay the log up to this moment (default: now)"),
    format: Literal["json", "csv"] | None = Query(None, description=f"csv for {CSV} (or send Accept: {CSV})"),
    caller: Annotated[Caller, Depends(permitted("statistics.read"))],
    recipient: None = Depends(ReceivesStatistics()),
    indicators: deps.Indicators,
) -> Indicators | Response:
    report = indicators.indicators(caller.actor, start, end, as_of)
    if wants_csv(request, format):
        return csv_attachment(indicators_csv(report), "indicators.csv")
    return Indicators.model_validate(report)
