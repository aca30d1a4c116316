"""The medical examination record: what the examining health body must act on, and no more."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.case import Case
from hub.aggregates.child import Child


class MedicalExaminationRecord(BaseModel):
    """A request to examine the child, and its findings."""

    id: UUID
    case_id: UUID
    child_id: UUID
    health_agency: str
    reason: str
    requested_at: datetime
    requested_by: str
    findings: str | None
    reported_at: datetime | None
    child_name: str | None
    child_date_of_birth: date | None
    child_age: int | None
    child_sex: str | None


def medical_examination_records(case: Case, child: Child, today: date) -> list[dict[str, Any]]:
    name = " ".join(filter(None, (child.identity.get("given_name"), child.identity.get("family_name")))) or None
    return [
        MedicalExaminationRecord(
            id=exam_id,
            case_id=case.id,
            child_id=case.child_id,
            health_agency=exam["health_agency"],
            reason=exam["reason"],
            requested_at=exam["requested_at"],
            requested_by=exam["requested_by"],
            findings=exam["findings"],
            reported_at=exam["reported_at"],
            child_name=name,
            child_date_of_birth=child.date_of_birth,
            child_age=child.age_on(today),
            child_sex=child.identity.get("sex"),
        ).model_dump(mode="json")
        for exam_id, exam in case.medical_examinations.items()
    ]
