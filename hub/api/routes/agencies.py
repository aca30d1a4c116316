"""/v1/agencies: the register of agencies, for the hub's operators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, StrictBool, StrictInt

from hub.aggregates.agency_directory import CODE_PATTERN
from hub.aggregates.vocabulary import BodyKind
from hub.api.auth import Caller, permitted
from hub.api.deps import Directory, Occupancies
from hub.api.problems import problem_responses
from hub.errors import NotFound
from hub.geography.place import Place
from hub.permissions import may
from hub.services.directory import DirectoryService
from hub.services.occupancy import Occupancy
from hub.text import Text

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
    capacity: int | None = Field(None, description="a closed institution's places (decision 0040); null: not given")
    is_open: bool | None = Field(None, description="a closed institution: whether it takes children (decision 0040)")


class InstitutionChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    capacity: StrictInt | None = Field(None, ge=0, description="the number of places; omitted: unchanged")
    is_open: StrictBool | None = Field(None, description="false: closed, it takes no child (a placement into it is "
                                                         "refused); omitted: unchanged")
    reason: Annotated[str, Text(1000)] = Field(..., description="why (recorded with who and when; name no child)")


class InstitutionRecord(BaseModel):
    at: datetime
    by: dict[str, str]
    capacity: int | None = None
    is_open: bool | None = None
    reason: str


class Institution(AgencyView):
    changes: list[InstitutionRecord] = Field(..., description="every change of its places and opening, oldest first")
    occupancy: int = Field(..., description="children placed there now, by open cases: may exceed capacity (0050)")


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


def _institution(directory: DirectoryService, occupancy: Occupancy, code: str) -> Institution:
    return Institution.model_validate(
        {**directory.agency(code).as_dict(), "changes": directory.institution_changes(code), "occupancy": occupancy.of(code)}
    )


@router.put(
    "/{code}/institution", response_model=Institution, responses=problem_responses(400, 401, 403, 404, 409, 413, 422)
)
def set_institution(
    code: str, body: InstitutionChange, caller: Annotated[Caller, Depends(permitted("institution.set"))],
    directory: Directory, occupancy: Occupancies,
) -> Institution:
    """A closed institution's places and whether it is open, with the reason: the hub's operators for any
    institution, its director for its own (decision 0040)."""
    within = None if may(caller.agency.kind, caller.actor.role, "institution.any_agency") else caller.actor.agency
    directory.set_institution(caller.actor, code, body.capacity, body.is_open, body.reason, within)
    return _institution(directory, occupancy, code)


@router.get("/{code}/institution", response_model=Institution, responses=problem_responses(401, 403, 404, 422))
def institution(
    code: str, caller: Annotated[Caller, Depends(permitted("institution.read"))], directory: Directory,
    occupancy: Occupancies,
) -> Institution:
    """A closed institution's places, the children placed there now, whether it is open, and every change with who,
    when and why (decisions 0040, 0050)."""
    agency = directory.find_agency(code)
    if agency is None or not agency.is_institution:
        raise NotFound(f"no institution {code!r}")
    return _institution(directory, occupancy, code)
