"""/v1/agencies: the register of agencies, for the hub's operators."""

from __future__ import annotations

from typing import Annotated
from fastapi import APIRouter, Depends
from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from hub.aggregates.agency_directory import CODE_PATTERN
from hub.aggregates.vocabulary import BodyKind
from hub.geography.place import Place
from hub.api.deps import Directory
from hub.api.auth import Caller, permitted
from hub.api.problems import problem_responses

router = APIRouter(prefix="/v1/agencies", tags=["agencies"])


class AgencyView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(..., pattern=CODE_PATTERN)
    name: str = Field(..., min_length=1, max_length=300)
    kind: BodyKind
    # Read as "city" too: the field's name before an agency worked in any unit of the country (decision 0026).
    unit: Place = Field(..., validation_alias=AliasChoices("unit", "city"))
    safeguards: str | None = Field(
        None, pattern=CODE_PATTERN,
        description="a safeguarding lead's body only: the agency whose staff it answers for (docs/decisions/0035)",
    )
    email: str | None = Field(
        None, max_length=254, description="where the agency's notices are emailed (docs/decisions/0036); none: not by email"
    )


class AgencyEmail(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(..., max_length=254, description="one mailbox, or null to stop emailing the agency")


@router.get("", response_model=list[AgencyView], responses=problem_responses(401, 403, 422))
def list_agencies(
    caller: Annotated[Caller, Depends(permitted("agency.list"))], directory: Directory
) -> list[AgencyView]:
    return [AgencyView.model_validate(a.as_dict()) for a in directory.agencies()]


@router.post("", response_model=AgencyView, status_code=201, responses=problem_responses(400, 401, 403, 413, 422))
def register(
    body: AgencyView, caller: Annotated[Caller, Depends(permitted("agency.register"))], directory: Directory
) -> AgencyView:
    agency = directory.register_agency(
        caller.actor, body.code, body.name, body.kind, body.unit, email=body.email, safeguards=body.safeguards
    )
    return AgencyView.model_validate(agency.as_dict())


@router.put("/{code}/email", response_model=AgencyView, responses=problem_responses(400, 401, 403, 404, 413, 422))
def set_email(
    code: str, body: AgencyEmail, caller: Annotated[Caller, Depends(permitted("agency.set_email"))],
    directory: Directory,
) -> AgencyView:
    """Sets or removes the address the agency's notices are emailed to."""
    return AgencyView.model_validate(directory.set_email(caller.actor, code, body.email).as_dict())
