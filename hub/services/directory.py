"""The register of agencies: who takes part, of which kind, where."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from eventsourcing.persistence import Notification

from hub.actor import Actor
from hub.aggregates.agency_directory import DIRECTORY_ID, AgencyDirectory
from hub.aggregates.vocabulary import CLOSED_INSTITUTIONS, BodyKind
from hub.delivery.address import checked_email
from hub.errors import InvalidInput, NotFound
from hub.geography.place import to_code
from hub.geography.units import geography
from hub.projections.follower import Followed, Follower
from hub.services.aggregates import Aggregates
from hub.services.conflicts import retry_on_conflict


@dataclass(frozen=True, slots=True)
class Agency:
    """An agency as the register holds it now. Frozen: one is made per agency each time the register changes,
    and every command, thread and request of the process shares it."""

    code: str
    name: str
    kind: BodyKind
    unit: str
    email: str | None = None  # where its notices are emailed (docs/decisions/0036); None: not by email
    safeguards: str | None = None  # a safeguarding lead: the body whose staff it answers for (0035)
    # A closed institution's places (None: not given) and whether it takes children (decision 0040).
    capacity: int | None = None
    is_open: bool = True

    @property
    def is_institution(self) -> bool:
        return self.kind in CLOSED_INSTITUTIONS

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"code": self.code, "name": self.name, "kind": str(self.kind), "unit": self.unit,
                                 "email": self.email, "safeguards": self.safeguards}
        if self.is_institution:
            found.update(capacity=self.capacity, is_open=self.is_open)
        return found


class NewAgency(NamedTuple):
    """An agency to register: ``unit`` a unit's code, or a city name of earlier versions (hub/geography/units.yaml)."""

    code: str
    name: str
    kind: BodyKind
    unit: str
    email: str | None = None  # where its notices are emailed (docs/decisions/0036)
    safeguards: str | None = None  # a safeguarding lead's body (0035)


class Register:
    """The directory as read, with its agencies made once: a command asks for them several times (routing,
    the notices' recipients, the caller's agency), and making all 150 of a city-sized register anew each time
    was a fifth of a submission's CPU."""

    def __init__(self, directory: AgencyDirectory) -> None:
        self.directory = directory
        self.agencies = tuple(Agency(**a) for a in sorted(directory.agencies.values(), key=lambda a: a["code"]))
        self.by_code = {a.code: a for a in self.agencies}
        self.by_kind: dict[BodyKind, list[Agency]] = {}
        for agency in self.agencies:
            self.by_kind.setdefault(agency.kind, []).append(agency)


class DirectoryService:
    """Read several times by every command (routing, notices, the caller's own agency) but changed only
    when an agency is registered: kept per process, and dropped when the log says it changed - here, or
    in any other process (the follower tells, hub/projections/follower.py)."""

    def __init__(self, aggregates: Aggregates, follower: Follower) -> None:
        self.aggregates = aggregates
        self.follower = follower
        self._read: Register | None = None  # never changed in place, so every thread may share it
        follower.listen(self)

    def notice(self, stored: Notification, followed: Followed) -> None:
        if stored.originator_id == DIRECTORY_ID:
            self._read = None

    def keeps(self, aggregate: Any) -> bool:
        return False  # a change is read again from the store when next asked

    def _directory(self) -> AgencyDirectory | None:
        """The directory as stored now: the one to change."""
        return self.aggregates.find(DIRECTORY_ID)

    def _register(self) -> Register | None:
        self.follower.current()
        if self._read is None:
            directory = self._directory()
            self._read = Register(directory) if directory is not None else None
        return self._read

    def register_agency(
        self, actor: Actor, code: str, name: str, kind: BodyKind, unit: str, *, email: str | None = None,
        safeguards: str | None = None,
    ) -> Agency:
        """``unit``: a unit's code, or a city name of earlier versions (hub/geography/units.yaml)."""
        return self.register_agencies(actor, [NewAgency(code, name, kind, unit, email, safeguards)])[0]

    @retry_on_conflict
    def register_agencies(self, actor: Actor, new: Sequence[NewAgency]) -> list[Agency]:
        """Registers them all in one save, or none if one is refused: a deployment's or the demo's bodies at
        once cost one transaction, not one each."""
        if not new:
            return []
        directory = self._directory() or AgencyDirectory(id=DIRECTORY_ID, actor=actor)
        for agency in new:
            try:
                unit = to_code(agency.unit)
            except ValueError as refused:
                raise InvalidInput("unit", str(refused), problem_type="unknown-place") from None
            address = checked_email(agency.email)
            directory.register(actor, code=agency.code, name=agency.name, kind=agency.kind, unit=unit,
                               safeguards=agency.safeguards)
            if address is not None:
                directory.set_email(actor, agency.code, address)
        self.aggregates.save(directory)
        self._read = None
        return [self.agency(agency.code) for agency in new]

    @retry_on_conflict
    def set_email(self, actor: Actor, code: str, email: str | None) -> Agency:
        """Sets or (None) removes the address an agency's notices are emailed to."""
        address = checked_email(email)
        directory = self._directory()
        if directory is None or code not in directory.agencies:
            raise NotFound(f"no agency {code!r}")
        directory.set_email(actor, code, address)
        self.aggregates.save(directory)
        self._read = None
        return self.agency(code)

    @retry_on_conflict
    def set_institution(
        self, actor: Actor, code: str, capacity: int | None, is_open: bool | None, reason: str, within: str | None,
    ) -> Agency:
        """A closed institution's places or opening (decision 0040). ``within``: the only agency the caller may
        change (an institution's director, its own), None for any; another is answered as an unknown agency."""
        directory = self._directory()
        if directory is None or code not in directory.agencies or within not in (None, code):
            raise NotFound(f"no agency {code!r}")
        directory.set_institution(actor, code, capacity, is_open, reason)
        self.aggregates.save(directory)
        self._read = None
        return self.agency(code)

    def institution_changes(self, code: str) -> list[dict[str, Any]]:
        register = self._register()
        return list(register.directory.institution_changes.get(code, [])) if register else []

    def agencies(self) -> list[Agency]:
        register = self._register()
        return list(register.agencies) if register else []

    def find_agency(self, code: str) -> Agency | None:
        register = self._register()
        return register.by_code.get(code) if register else None

    def agency(self, code: str, field: str = "agency") -> Agency:
        found = self.find_agency(code)
        if found is None:
            raise InvalidInput(field, "unknown agency %(code)r", values={"code": code}, problem_type="unknown-agency")
        return found

    def agencies_of(self, kind: BodyKind, place: str) -> list[Agency]:
        """The agencies of the kind nearest the place: of its district or city, else of its region, else
        national ones (hub/geography/units.yaml, decision 0026)."""
        register = self._register()
        of_kind = register.by_kind.get(kind, []) if register else []
        for unit in geography().chain(place):
            found = [a for a in of_kind if a.unit == unit.code]
            if found:
                return found
        return []

    def safeguarding_lead_of(self, code: str) -> Agency | None:
        """The Safeguarding Lead's body of an agency, if one is registered (docs/decisions/0035)."""
        return next((a for a in self.agencies() if a.safeguards == code), None)
