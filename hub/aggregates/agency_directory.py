"""The register of agencies that may use the hub.

A single aggregate: there are hundreds of agencies, not millions, and one
stream gives a consistent list and a history of who was admitted when.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.aggregates.vocabulary import CLOSED_INSTITUTIONS, BodyKind
from hub.errors import GuardViolation
from hub.geography.units import legacy_code

DIRECTORY_ID = UUID("0d8f3c2a-58a4-4f8e-9a61-2f3c7d5e9b10")
CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"
# The bodies whose staff a Safeguarding Lead answers for (cam 11.2, ngo 13.2; docs/decisions/0035).
# Closed institutions too (decision 0040): their staff are the ones Ainur's journey accuses.
SAFEGUARDED = frozenset({BodyKind.CAM, BodyKind.CSC, BodyKind.NGO, BodyKind.SCHOOL, BodyKind.HEALTH}) | CLOSED_INSTITUTIONS


class DirectoryState(StrEnum):
    ACTIVE = "active"


class AgencyDirectory(HubAggregate):
    kind = "agency directory"

    @event("Started")
    def __init__(self, id: UUID, actor: Actor) -> None:
        self.state = DirectoryState.ACTIVE
        self.agencies: dict[str, dict] = {}
        # A closed institution's capacity and openings, each change with who, when and why (decision 0040).
        self.institution_changes: dict[str, list[dict]] = {}

    class AgencyRegistered(HubAggregate.Event):
        # v2: an agency works in a unit of hub/geography/units.yaml (its KATO code), not one of five
        # cities; the city an agency registered with before is that city's unit (decision 0026).
        class_version = 2
        actor: Actor
        code: str
        name: str
        agency_kind: str
        unit: str
        # A safeguarding lead's body: the body whose staff it answers for (0035); None before they existed.
        safeguards: str | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["unit"] = legacy_code(state.pop("city"))

    def register(
        self, actor: Actor, code: str, name: str, kind: BodyKind, unit: str, safeguards: str | None = None
    ) -> None:
        if code in self.agencies:
            raise GuardViolation("agency-exists", "agency %(code)r is already registered", values={"code": code}, field="code")
        if (kind == BodyKind.SAFEGUARDING_LEAD) != (safeguards is not None):
            raise GuardViolation(
                "safeguards", "a safeguarding lead, and only a safeguarding lead, names the body it safeguards",
                field="safeguards",
            )
        if safeguards is not None:
            safeguarded = self.agencies.get(safeguards)
            if safeguarded is None or safeguarded["kind"] not in SAFEGUARDED:
                raise GuardViolation(
                    "safeguards", "a safeguarding lead safeguards a registered body of kind %(kinds)s, not %(safeguards)r",
                    values={"kinds": ", ".join(sorted(SAFEGUARDED)), "safeguards": safeguards}, field="safeguards",
                )
            if any(a.get("safeguards") == safeguards for a in self.agencies.values()):
                raise GuardViolation("safeguards", "%(safeguards)r already has a safeguarding lead",
                                     values={"safeguards": safeguards}, field="safeguards")
        self._registered(actor=actor, code=code, name=name, agency_kind=str(kind), unit=unit, safeguards=safeguards)

    @event(AgencyRegistered)
    def _registered(
        self, actor: Actor, code: str, name: str, agency_kind: str, unit: str, safeguards: str | None = None
    ) -> None:
        self.agencies[code] = {"code": code, "name": name, "kind": BodyKind(agency_kind), "unit": unit}
        if safeguards is not None:
            self.agencies[code]["safeguards"] = safeguards

    def set_email(self, actor: Actor, code: str, email: str | None) -> None:
        """The address the agency's notices are emailed to (docs/decisions/0036); None: no email."""
        if code not in self.agencies:
            raise GuardViolation("unknown-agency", "unknown agency %(code)r", values={"code": code}, field="code")
        if self.agencies[code].get("email") != email:
            self._email_set(actor=actor, code=code, email=email)

    @event("ContactEmailSet")
    def _email_set(self, actor: Actor, code: str, email: str | None) -> None:
        self.agencies[code] = {**self.agencies[code], "email": email}

    def set_institution(self, actor: Actor, code: str, capacity: int | None, is_open: bool | None, reason: str) -> None:
        """A closed institution's places and whether it takes children, each change recorded with its reason."""
        agency = self.agencies.get(code)
        if agency is None:
            raise GuardViolation("unknown-agency", "unknown agency %(code)r", values={"code": code}, field="code", status=404)
        if agency["kind"] not in CLOSED_INSTITUTIONS:
            raise GuardViolation(
                "not-an-institution",
                "only a closed institution (%(institutions)s) has places and opens or closes, not a %(kind)s",
                values={"institutions": ", ".join(sorted(CLOSED_INSTITUTIONS)), "kind": agency["kind"]}, field="code",
            )
        if capacity is not None and capacity < 0:
            raise GuardViolation("capacity", "a capacity is a number of places, 0 or more", field="capacity", status=422)
        capacity = None if capacity == agency.get("capacity") else capacity
        is_open = None if is_open == agency.get("is_open") else is_open
        if capacity is not None or is_open is not None:
            self._institution_set(actor=actor, code=code, reason=reason, capacity=capacity, is_open=is_open)

    @event("InstitutionSet")
    def _institution_set(
        self, actor: Actor, code: str, reason: str, capacity: int | None = None, is_open: bool | None = None
    ) -> None:
        changed = {name: value for name, value in (("capacity", capacity), ("is_open", is_open)) if value is not None}
        self.agencies[code] = {**self.agencies[code], **changed}
        self.institution_changes.setdefault(code, []).append(
            {"at": self.modified_on, "by": {"agency": actor.agency, "user": actor.user}, **changed, "reason": reason}
        )
