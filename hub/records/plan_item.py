"""One item of a child's plan as a record gives it (docs/decisions/0052, 0060): what an agency system reads
instead of parsing a line of text - the body responsible by its agency code (GET /v1/agencies names it), or
one of the family by role, and the day as a date, which every reader writes in its own language."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class PlanItemRecord(BaseModel):
    """An objective, the task serving it, who is responsible, and by when or how often (Annex H §4, Annex I §4)."""

    goal: str = Field(..., description="the objective, and how it reduces or eliminates the risk of harm")
    task: str = Field(..., description="the service or action")
    responsible: str = Field(
        ..., description="the responsible body's agency code, or parent, legal_representative, carer or child"
    )
    responsible_person: str | None = Field(None, description="the person responsible, where named")
    due: date | None = Field(None, description="the day to complete it by; absent when it recurs (frequency)")
    frequency: str | None = Field(None, description="how often, for a recurring service")
