"""The register of agencies: who takes part, of which kind, where."""

from __future__ import annotations

from hub.actor import Actor
from hub.aggregates.agency_directory import DIRECTORY_ID, AgencyDirectory
from hub.aggregates.vocabulary import BodyKind, City
from hub.errors import InvalidInput
from hub.services.aggregates import Aggregates
from hub.services.conflicts import retry_on_conflict


class Agency:
    def __init__(self, code: str, name: str, kind: BodyKind, city: City) -> None:
        self.code, self.name, self.kind, self.city = code, name, kind, city

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "kind": str(self.kind), "city": str(self.city)}


class DirectoryService:
    # Read several times by every command (routing, notices, the caller's own agency) but changed
    # only when an agency is registered: kept per process, re-read only when the store holds a
    # later version (one indexed lookup instead of decoding every registration).
    _directory_read: AgencyDirectory | None = None

    def __init__(self, aggregates: Aggregates) -> None:
        self.aggregates = aggregates

    def _directory(self) -> AgencyDirectory | None:
        """The directory as stored now: the one to change."""
        return self.aggregates.find(DIRECTORY_ID)

    def _current_directory(self) -> AgencyDirectory | None:
        """The directory to read from; never changed in place, so it can be shared by every thread."""
        read = self._directory_read
        if read is not None and not self.aggregates.changed_since(DIRECTORY_ID, read.version):
            return read
        self._directory_read = self._directory()
        return self._directory_read

    @retry_on_conflict
    def register_agency(self, actor: Actor, code: str, name: str, kind: BodyKind, city: City) -> Agency:
        directory = self._directory() or AgencyDirectory(id=DIRECTORY_ID, actor=actor)
        directory.register(actor, code=code, name=name, kind=kind, city=city)
        self.aggregates.save(directory)
        return self.agency(code)

    def agencies(self) -> list[Agency]:
        directory = self._current_directory()
        if directory is None:
            return []
        return [Agency(**a) for a in sorted(directory.agencies.values(), key=lambda a: a["code"])]

    def find_agency(self, code: str) -> Agency | None:
        directory = self._current_directory()
        record = directory.agencies.get(code) if directory else None
        return Agency(**record) if record else None

    def agency(self, code: str, field: str = "agency") -> Agency:
        found = self.find_agency(code)
        if found is None:
            raise InvalidInput(field, f"unknown agency {code!r}", problem_type="unknown-agency")
        return found

    def agencies_of(self, kind: BodyKind, city: City) -> list[Agency]:
        return [a for a in self.agencies() if a.kind == kind and a.city == city]
