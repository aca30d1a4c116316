"""Agencies and their users' tokens."""

from __future__ import annotations

import secrets
from datetime import datetime

from eventsourcing.application import AggregateNotFoundError

from hub import clock
from hub.actor import Actor
from hub.aggregates.agency_directory import DIRECTORY_ID, AgencyDirectory
from hub.aggregates.api_token import ApiToken, token_id_for
from hub.aggregates.vocabulary import BodyKind, City
from hub.errors import InvalidInput
from hub.permissions import roles_of
from hub.services.conflicts import retry_on_conflict
from hub.services.repository import Repo

TOKEN_PREFIX = "hub_"


class Agency:
    def __init__(self, code: str, name: str, kind: BodyKind, city: City) -> None:
        self.code, self.name, self.kind, self.city = code, name, kind, city

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "kind": str(self.kind), "city": str(self.city)}


class DirectoryService(Repo):
    # Read several times by every command (routing, notices, the caller's own agency) but changed
    # only when an agency is registered: kept per process, re-read only when the store holds a
    # later version (one indexed lookup instead of decoding every registration).
    _directory_read: AgencyDirectory | None = None

    def _directory(self) -> AgencyDirectory | None:
        """The directory as stored now: the one to change."""
        try:
            return self.repository.get(DIRECTORY_ID)
        except AggregateNotFoundError:
            return None

    def _current_directory(self) -> AgencyDirectory | None:
        """The directory to read from; never changed in place, so it can be shared by every thread."""
        read = self._directory_read
        if read is not None and not self.recorder.select_events(DIRECTORY_ID, gt=read.version, limit=1):
            return read
        self._directory_read = self._directory()
        return self._directory_read

    @retry_on_conflict
    def register_agency(self, actor: Actor, code: str, name: str, kind: BodyKind, city: City) -> Agency:
        directory = self._directory() or AgencyDirectory(id=DIRECTORY_ID, actor=actor)
        directory.register(actor, code=code, name=name, kind=kind, city=city)
        self.save(directory)
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

    def issue_token(self, actor: Actor, holder: Actor, expires_at: datetime | None) -> str:
        agency = self.agency(holder.agency, field="agency")
        if holder.role not in roles_of(agency.kind):
            raise InvalidInput(
                "role", f"an agency of kind {agency.kind} has no role {holder.role!r}; roles: {roles_of(agency.kind)}"
            )
        if not holder.user.strip():
            raise InvalidInput("user", "name the user the token is for")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.save(ApiToken(id=token_id_for(secret), actor=actor, holder=holder, expires_at=expires_at))
        return secret

    def authenticate(self, secret: str) -> tuple[Actor, Agency] | None:
        """The holder of a valid token, or None; the caller must not learn which check failed."""
        if not secret.startswith(TOKEN_PREFIX):
            return None
        try:
            token: ApiToken = self.repository.get(token_id_for(secret))
        except AggregateNotFoundError:
            return None
        if not token.is_valid(clock.now()):
            return None
        agency = self.find_agency(token.holder.agency)
        if agency is None:
            return None
        return token.holder, agency
