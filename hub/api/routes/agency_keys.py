"""/v1/agencies/{code}/keys: the public keys an agency's systems sign their Kafka messages with, for the hub's
operators (docs/decisions/0027)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from hub.aggregates.agency_directory import CODE_PATTERN
from hub.aggregates.agency_keys import KeyState
from hub.api.auth import Caller, permitted
from hub.api.deps import AgencyKeys
from hub.api.problems import problem_responses
from hub.services.agency_keys import KEY_ID_HEX, KeySummary
from hub.text import Text

router = APIRouter(prefix="/v1/agencies/{code}/keys", tags=["agencies"])

AgencyCode = Annotated[str, Path(pattern=CODE_PATTERN, description="the agency's code")]
KeyId = Annotated[str, Path(pattern=f"^[0-9a-f]{{{KEY_ID_HEX}}}$", description="the key's id, as adding it answered")]


class KeyView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    agency: str
    key_id: str = Field(..., description="the `key-id` header of the messages signed with this key")
    public_key: str = Field(..., description="PEM")
    state: KeyState
    added_at: datetime
    revoked_at: datetime | None


class NewKey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    public_key: str = Field(..., max_length=1000, description="the agency's Ed25519 public key, PEM "
                            "(-----BEGIN PUBLIC KEY-----); never the private key, which stays with the agency")


class KeyRevocation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Text(1000)] = Field(..., description="why: rotated, a system retired, a key exposed")


@router.get("", response_model=list[KeyView], responses=problem_responses(401, 403, 422))
def list_keys(
    code: AgencyCode, caller: Annotated[Caller, Depends(permitted("agency.list_keys"))], keys: AgencyKeys
) -> list[KeySummary]:
    """The agency's keys, active and revoked."""
    return keys.keys(code)


@router.post("", response_model=KeyView, status_code=201, responses=problem_responses(400, 401, 403, 409, 413, 422))
def add_key(
    code: AgencyCode, body: NewKey, caller: Annotated[Caller, Depends(permitted("agency.add_key"))], keys: AgencyKeys
) -> KeySummary:
    """Registers a public key of the agency; messages signed with it are accepted from now on."""
    return keys.add_key(caller.actor, code, body.public_key.encode())


@router.post(
    "/{key_id}/revoke", response_model=KeyView, responses=problem_responses(400, 401, 403, 404, 409, 413, 422)
)
def revoke_key(
    code: AgencyCode,
    key_id: KeyId,
    body: KeyRevocation,
    caller: Annotated[Caller, Depends(permitted("agency.revoke_key"))],
    keys: AgencyKeys,
) -> KeySummary:
    """Revokes a key: every ingestion worker refuses the next message signed with it."""
    return keys.revoke_key(caller.actor, code, key_id, body.reason)
