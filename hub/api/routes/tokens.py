"""/v1/tokens: the hub's operators issue, list and revoke bearer tokens; an agency's heads list and revoke
their own staff's, a leaver's the day they leave (docs/decisions/0027)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from hub.actor import Actor
from hub.aggregates.api_token import token_id_for
from hub.api.auth import Caller, permitted
from hub.api.deps import Tokens
from hub.api.problems import problem_responses
from hub.permissions import may
from hub.services.token_lifetime import DEFAULT_DAYS, DEFAULT_MAX_DAYS, MAX_DAYS_ENV
from hub.services.token_listing import TokenStanding, TokenSummary
from hub.text import Code, Line, Text

router = APIRouter(prefix="/v1/tokens", tags=["tokens"])

ANY_AGENCY = "token.any_agency"  # commands.yaml: who acts on every agency's tokens, not only their own


class TokenView(BaseModel):
    """A token as the hub keeps it: never its secret."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID = Field(..., description="what `hub tokens revoke` and POST /v1/tokens/{token_id}/revoke take")
    agency: str
    role: str
    user: str
    issued_at: datetime
    expires_at: datetime
    state: TokenStanding
    revoked_at: datetime | None


class IssuedToken(TokenView):
    secret: str = Field(..., description="the bearer token itself: shown in this answer only; the hub keeps a hash")


class IssueToken(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agency: Annotated[str, Code(64)]
    role: Annotated[str, Code(64)]
    user: Annotated[str, Line(200)]
    days: StrictInt | None = Field(
        None, description=f"validity in days: default {DEFAULT_DAYS}, at most {MAX_DAYS_ENV} "
        f"(default {DEFAULT_MAX_DAYS}); 0 is refused, every token expires",
    )


class Revocation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Text(1000)] = Field(..., description="why: a leaver, a lost laptop (recorded; name no child)")


def _within(caller: Caller) -> str | None:
    """The agency whose tokens the caller may act on; None: every agency's."""
    return None if may(caller.agency.kind, caller.actor.role, ANY_AGENCY) else caller.actor.agency


@router.get("", response_model=list[TokenView], responses=problem_responses(401, 403, 422))
def list_tokens(
    caller: Annotated[Caller, Depends(permitted("token.list"))],
    tokens: Tokens,
    agency: Annotated[str | None, Query(description="only this agency's tokens")] = None,
) -> list[TokenSummary]:
    """Every token issued, newest first; an agency's head sees only the agency's own."""
    within = _within(caller)
    if within is not None and agency not in (None, within):
        return []
    return tokens.tokens(within=within or agency)


@router.post("", response_model=IssuedToken, status_code=201, responses=problem_responses(400, 401, 403, 413, 422))
def issue(body: IssueToken, caller: Annotated[Caller, Depends(permitted("token.issue"))], tokens: Tokens) -> IssuedToken:
    """Issues a token for one user of an agency in one role, for a limited time."""
    secret = tokens.issue_token(caller.actor, Actor(body.agency, body.role, body.user), body.days)
    issued = tokens.token(token_id_for(secret))
    return IssuedToken(**TokenView.model_validate(issued).model_dump(), secret=secret)


@router.post(
    "/{token_id}/revoke", response_model=TokenView, responses=problem_responses(400, 401, 403, 404, 409, 413, 422)
)
def revoke(
    token_id: UUID, body: Revocation, caller: Annotated[Caller, Depends(permitted("token.revoke"))], tokens: Tokens
) -> TokenSummary:
    """Revokes a token for good: every process refuses its next request, and its web sessions end."""
    return tokens.revoke(caller.actor, token_id, body.reason, within=_within(caller))
