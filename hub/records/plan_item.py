"""One item of a child's plan as a record gives it (docs/decisions/0052, 0060): what an agency system reads
instead of parsing a line of text - the body responsible by its agency code (GET /v1/agencies names it), or
one of the family by role, and the day as a date, which every reader writes in its own language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

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


def told(message: str | None, items: Sequence[dict[str, Any]]) -> str | None:
    """A notice's ``reason`` as agency systems have read it since decision 0052: what it says, then the plan's items
    it carries one a line, "1. goal — task — responsible (person) — by when or how often", in the typed words and
    the codes; ``plan_items`` gives them structured beside it (0060)."""
    return "\n\n".join(text for text in (message, _lines(items)) if text) or None


def besides_items(reason: str | None, items: Sequence[dict[str, Any]]) -> str | None:
    """What a notice says besides the items ``told`` wrote after it: the pages show those as a table instead."""
    lines = _lines(items)
    if reason is None or lines is None or not reason.endswith(lines):
        return reason
    return reason[: -len(lines)].rstrip("\n") or None


def _lines(items: Sequence[dict[str, Any]]) -> str | None:
    lines = [
        f"{n}. " + " — ".join(part for part in (
            item["goal"], item["task"],
            item["responsible"] + (f" ({item['responsible_person']})" if item.get("responsible_person") else ""),
            item.get("due") or item.get("frequency"),
        ) if part)
        for n, item in enumerate(items, 1)
    ]
    return "\n".join(lines) or None
