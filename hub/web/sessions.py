"""Signed-in managers: one session per sign-in, kept on the server; the browser holds only a random id.

Signing in with a token starts a session; the cookie carries the session's
id, never the token. A session ends on sign-out, after ``HUB_SESSION_IDLE_MINUTES``
without a page, ``HUB_SESSION_MAX_HOURS`` after it began, and as soon as its
token is revoked or expires: each page asks the token service about the token
behind it (docs/decisions/0027).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from hub import clock
from hub.aggregates.api_token import token_id_for
from hub.api.auth import Caller
from hub.application import HubApplication
from hub.projections.sql import Sql
from hub.services.tokens import TokenService
from hub.web.session_table import SessionTable

IDLE_ENV = "HUB_SESSION_IDLE_MINUTES"
MAX_ENV = "HUB_SESSION_MAX_HOURS"
DEFAULT_IDLE_MINUTES = 30
DEFAULT_MAX_HOURS = 12


def _whole(env: Mapping[str, str], name: str, default: int, unit: str) -> int:
    value = env.get(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a whole number of {unit}, 1 or more, not {value!r}")
    return int(value)


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta = timedelta(minutes=DEFAULT_IDLE_MINUTES)
    longest: timedelta = timedelta(hours=DEFAULT_MAX_HOURS)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SessionLimits:
        return cls(
            idle=timedelta(minutes=_whole(env, IDLE_ENV, DEFAULT_IDLE_MINUTES, "minutes")),
            longest=timedelta(hours=_whole(env, MAX_ENV, DEFAULT_MAX_HOURS, "hours")),
        )


@dataclass(frozen=True)
class Session:
    id: str  # the cookie's value: given to the browser once, stored only as a hash
    caller: Caller


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class Sessions:
    def __init__(self, store: HubApplication, tokens: TokenService, limits: SessionLimits) -> None:
        self.table = SessionTable(Sql(store.recorder))
        self.tokens = tokens
        self.limits = limits

    def start(self, secret: str) -> Session | None:
        """A new session for the holder of this token; None if the token is not valid."""
        found = self.tokens.authenticate(secret)
        if found is None:
            return None
        now = clock.now()
        self.table.purge(*self._live_since(now))
        session_id = secrets.token_urlsafe(32)
        token_id = token_id_for(secret)
        self.table.add(_key(session_id), token_id, now)
        return Session(session_id, Caller(*found, token_id=token_id))

    def resume(self, session_id: str) -> Caller | None:
        """The holder of a live session, which is used now; None if it has ended, or its token has."""
        now = clock.now()
        token_id = self.table.touch(_key(session_id), now, *self._live_since(now))
        return self._holder(session_id, token_id)

    def peek(self, session_id: str) -> Caller | None:
        """The holder of a live session, without counting as a use of it (a refusal being recorded)."""
        return self._holder(session_id, self.table.peek(_key(session_id), *self._live_since(clock.now())))

    def end(self, session_id: str) -> None:
        self.table.remove(_key(session_id))

    def _holder(self, session_id: str, token_id: UUID | None) -> Caller | None:
        found = self.tokens.holder_of(token_id) if token_id is not None else None
        if found is None:
            if token_id is not None:
                self.end(session_id)  # its token was revoked or expired: the session ends with it
            return None
        return Caller(*found, token_id=token_id)

    def _live_since(self, now: datetime) -> tuple[datetime, datetime]:
        """A session is live if it was used after the first moment and began after the second."""
        return now - self.limits.idle, now - self.limits.longest
