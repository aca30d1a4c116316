"""Records every refused API request that the read log does not: authentication failures, refused
commands, oversized and malformed bodies, requests over a rate limit (docs/decisions/0017, 0022).

Recording never changes the answer: a refusal that cannot be recorded is
logged and still answered with its 4xx. Neither kind of flood can fill the
table: an authenticated caller's identical refusals of one minute (same token,
route, status and problem) are one row with a count, and unauthenticated
refusals beyond a per-minute limit are counted on one row per minute and route.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from fastapi import Request

from hub import clock
from hub.api.auth import Caller
from hub.api.credential import Credential, presented_credential
from hub.api.refusal_log import Refusal, RefusalLog
from hub.application import HubApplication
from hub.crypto.derived import derived_key
from hub.crypto.master_key import load_master_key
from hub.projections.sql import Sql
from hub.services.tokens import TokenService
from hub.web.sessions import Sessions

LIMIT_ENV = "HUB_REFUSALS_UNAUTHENTICATED_PER_MINUTE"
DEFAULT_LIMIT = 120
FINGERPRINT_HEX = 16  # 64 bits: enough to tell tokens apart in the log, useless as a credential
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNROUTED = "(no route)"

log = logging.getLogger(__name__)


def unauthenticated_limit(env: Mapping[str, str]) -> int:
    value = env.get(LIMIT_ENV) or str(DEFAULT_LIMIT)
    if not value.isdigit():
        raise ValueError(f"{LIMIT_ENV} must be a whole number of refusals per minute, not {value!r}")
    return int(value)


def is_recorded(method: str, status: int) -> bool:
    """A GET answered 404 is a read that found nothing to show: the read log holds those about a record."""
    return 400 <= status < 500 and not (status == 404 and method in ("GET", "HEAD"))


class RefusalRecorder:
    def __init__(self, store: HubApplication, tokens: TokenService, sessions: Sessions, limit: int) -> None:
        self.tokens = tokens
        self.sessions = sessions
        self.log = RefusalLog(Sql(store.recorder))
        self.limit = limit
        self._key = derived_key(load_master_key(store.env), "refused request credential fingerprint")
        self._lock = threading.Lock()
        self._minute: datetime | None = None
        self._unauthenticated = 0
        # This minute's rows of authenticated callers, by id: a repeat counts on its row without
        # authenticating the caller again, which a flood of requests over the rate limit would cost.
        self._authenticated: dict[str, Refusal] = {}

    def record(self, request: Request, status: int, slug: str) -> None:
        if not is_recorded(request.method, status):
            return
        try:
            self._record(request, status, slug)
        except Exception:  # the refusal stands whether or not it could be written down
            log.warning("could not record a refused %s %s (%s)", request.method, status, slug, exc_info=True)

    def _record(self, request: Request, status: int, slug: str) -> None:
        now = clock.now()
        minute = now.replace(second=0, microsecond=0)
        method = request.method if request.method in METHODS else "OTHER"
        route = request.scope.get("route")
        path = getattr(route, "path", UNROUTED)
        credential = presented_credential(request)
        token = self.fingerprint(credential.key) if credential else None
        same = f"{minute.isoformat()} {token} {method} {path} {status} {slug}"
        with self._lock:
            self._turn(minute)
            known = self._authenticated.get(same)
        if known is not None:
            self.log.count(same, known)
            return
        caller = self._caller(request, credential)
        if caller is None:
            self._record_unauthenticated(minute, Refusal(now, method, path, status, slug, token=token))
            return
        if caller.token_id is not None:  # a session's refusal names the token it was signed in with
            token = self.fingerprint(caller.token_id)
        refusal = Refusal(
            now, method, path, status, slug, caller.actor.agency, caller.actor.role, caller.actor.user, token
        )
        self.log.count(same, refusal)
        with self._lock:
            if self._minute == minute:
                self._authenticated[same] = refusal

    def _record_unauthenticated(self, minute: datetime, refusal: Refusal) -> None:
        with self._lock:
            self._turn(minute)
            self._unauthenticated += 1
            within_limit = self._unauthenticated <= self.limit
        if within_limit:
            self.log.add(uuid.uuid4().hex, refusal)
            return
        anonymous = replace(refusal, at=minute, token=None)
        row_id = f"over-limit {minute.isoformat()} {refusal.method} {refusal.path} {refusal.status} {refusal.problem}"
        self.log.count(row_id, anonymous)

    def _caller(self, request: Request, credential: Credential | None) -> Caller | None:
        """Who was refused: known when the route authenticated them; else the credential is tried here."""
        tried = getattr(request.state, "caller", _UNTRIED)
        if tried is not _UNTRIED:
            return tried if isinstance(tried, Caller) else None  # the route set a Caller, or None for nobody
        if credential is None:
            return None
        if credential.session:
            return self.sessions.peek(credential.secret)
        found = self.tokens.authenticate(credential.secret)
        return Caller(*found, token_id=credential.key) if found else None

    def _turn(self, minute: datetime) -> None:
        """Starts a new minute's counts when ``minute`` is a later one; call it holding the lock."""
        if self._minute is None or minute > self._minute:
            self._minute, self._unauthenticated, self._authenticated = minute, 0, {}

    def fingerprint(self, token_id: uuid.UUID) -> str:
        """Keyed on the token's id, which the hub keeps: an operator can tell which issued token was used
        (and by whom it was held), a reader of the table alone cannot, and a forged token matches none."""
        return hmac.new(self._key, token_id.bytes, hashlib.sha256).hexdigest()[:FINGERPRINT_HEX]


_UNTRIED = object()
