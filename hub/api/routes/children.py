"""/v1/children: the child's identity record, kept by the centre that manages the case."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from hub.api.auth import Caller, permitted
from hub.api.deps import ChildFinder, Children, Family, Reads
from hub.api.problems import problem_responses
from hub.api.routes.commands import Run, command_route
from hub.api.schemas import children as s
from hub.api.schemas import family as f
from hub.records.child import ChildRecord
from hub.records.family_link import FamilyLinkRecord
from hub.records.partial import partial

router = APIRouter(prefix="/v1/children", tags=["children"])


VisibleChild = partial(ChildRecord)


@router.post(
    "/search", response_model=list[VisibleChild], response_model_exclude_unset=True,  # type: ignore[valid-type]
    responses=problem_responses(400, 401, 403, 413, 422), summary="Find a child by IIN",
    description="The children with this IIN the caller's body may see with their IIN (decision 0051); an empty "
    "list otherwise, the same as for an IIN no child has. Each child shown is recorded as read.",
)
def search(body: s.FindChild, caller: Annotated[Caller, Depends(permitted("child.read"))], finder: ChildFinder) -> Any:
    return finder.by_iin(caller.actor, body.iin)


@router.get(
    "/{child_id}", response_model=VisibleChild, response_model_exclude_unset=True,
    responses=problem_responses(401, 403, 404, 422),
)
def read(
    child_id: UUID, caller: Annotated[Caller, Depends(permitted("child.read"))], reads: Reads
) -> Any:
    return reads.show(caller.actor, "child", child_id)


def _command(path: str, body_type: type[BaseModel], run: Run, summary: str) -> None:
    command_route(router, path, "child_id", body_type, "child.update", Children, run, summary, VisibleChild)


_command("/{child_id}/aliases", s.AddAlias, lambda h, a, c, b, r: h.add_alias(a, c, b.alias, reply=r), "Add an alias")
_command("/{child_id}/age-dispute", s.DisputeAge, lambda h, a, c, b, r: h.dispute_age(a, c, b.reason, reply=r), "Dispute the age")
_command("/{child_id}/age-determination", s.DetermineAge,
         lambda h, a, c, b, r: h.determine_age(a, c, b.date_of_birth, b.method, b.benefit_of_doubt, reply=r), "Determine the age")
_command("/{child_id}/date-of-birth", s.RecordDateOfBirth,
         lambda h, a, c, b, r: h.record_date_of_birth(a, c, b.date_of_birth, b.source, reply=r), "Record the date of birth")
_command("/{child_id}/categories", s.ChangeCategory,
         lambda h, a, c, b, r: h.add_category(a, c, b.category, b.reason, reply=r), "Add a category")
_command("/{child_id}/categories/remove", s.ChangeCategory,
         lambda h, a, c, b, r: h.remove_category(a, c, b.category, b.reason, reply=r), "Remove a category")


# -- family links (docs/decisions/0041): shown only where the caller is shown both children's sides --

VisibleLink = partial(FamilyLinkRecord)


@router.get(
    "/{child_id}/family", response_model=list[VisibleLink], response_model_exclude_unset=True,  # type: ignore[valid-type]
    responses=problem_responses(401, 403, 404, 422), summary="The child's family links the caller may see",
)
def family(child_id: UUID, caller: Annotated[Caller, Depends(permitted("child.read"))], links: Family) -> Any:
    return links.links_of(caller.actor, child_id)


@router.post(
    "/{child_id}/family", status_code=201, response_model=VisibleLink, response_model_exclude_unset=True,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422), summary="Link the child to another child",
)
def link(
    child_id: UUID, body: f.LinkChild, caller: Annotated[Caller, Depends(permitted("child.link_family"))], links: Family
) -> Any:
    return links.link(caller.actor, child_id, body.other_child_id, body.relation, body.other_is, body.reason)


@router.post(
    "/{child_id}/family/{other_child_id}/remove", response_model=VisibleLink, response_model_exclude_unset=True,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422), summary="Take back a wrong family link",
)
def unlink(
    child_id: UUID, other_child_id: UUID, body: f.RemoveLink,
    caller: Annotated[Caller, Depends(permitted("child.link_family"))], links: Family,
) -> Any:
    return links.remove(caller.actor, child_id, other_child_id, body.reason)


@router.post(
    "/{child_id}/expected-child", status_code=201, response_model=VisibleLink, response_model_exclude_unset=True,
    responses=problem_responses(400, 401, 403, 404, 413, 422),
    summary="Report a child not yet born, through its mother: the answer is the link, naming the expected child",
)
def expected_child(
    child_id: UUID, body: f.ExpectedChild, caller: Annotated[Caller, Depends(permitted("child.expect"))], links: Family
) -> Any:
    return links.expect(caller.actor, child_id, body.expected_on, body.reason)


command_route(router, "/{child_id}/birth", "child_id", f.Birth, "child.expect", Family,
              lambda h, a, c, b, r: h.confirm_birth(a, c, b.date_of_birth, b.identity(), reply=r),
              "Confirm the birth of an expected child", VisibleChild)
