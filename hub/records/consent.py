"""The consent record: one per child, purpose and recipient."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.consent import Consent, ConsentPurpose, ConsentState
from hub.aggregates.vocabulary import Signatory


class ConsentRecord(BaseModel):
    """Consent for one purpose and one recipient."""

    id: UUID
    child_id: UUID
    purpose: ConsentPurpose
    recipient: str
    status: ConsentState
    signatories: list[Signatory]
    child_mature: bool
    method: str
    expires_at: datetime | None
    updated_at: datetime


def consent_record(consent: Consent, now: datetime) -> dict[str, Any]:
    return ConsentRecord(
        id=consent.id,
        child_id=consent.child_id,
        purpose=consent.purpose,
        recipient=consent.recipient,
        status=consent.status(now),
        signatories=consent.signatories,
        child_mature=consent.child_mature,
        method=consent.method,
        expires_at=consent.expires_at,
        updated_at=consent.modified_on,
    ).model_dump(mode="json")
