"""Records every refused API request that the read log does not: authentication failures, refused
commands, oversized and malformed bodies (docs/decisions/0017).

Recording never changes the answer: a refusal that cannot be recorded is
logged and still answered with its 4xx. Unauthenticated refusals beyond a
per-minute limit are counted on one row per minute and route instead of one row
each, so a flood of forged tokens cannot fill the table.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import uuid
from collections.abc import Mapping
from datetime import datetime

from fastapi import Request

from hub import clock
from hub.aggregates.api_token import token_id_for
from hub.api.auth import Caller
from hub.api.refusal_log import Refusal, RefusalLog
from hub.application import HubApplication
from hub.crypto.derived import derived_key
from hub.crypto.master_key import load_master_key
from hub.projections.sql import Sql
from hub.services.tokens import TokenService
from hub.web.pages import COOKIE

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
    def __init__(self, store: HubApplication, tokens: TokenService, limit: int) -> None:
        self.tokens = tokens
        self.log = RefusalLog(Sql(store.recorder))
        self.limit = limit
        self._key = derived_key(load_master_key(store.env), "refused request credential fingerprint")
        self._lock = threading.Lock()
        self._minute: datetime | None = None
        self._unauthenticated = 0

    def record(self, request: Request, status: int, slug: str) -> None:
        if not is_recorded(request.method, status):
            return
        try:
            self._record(request, status, slug)
        except Exception:  # the refusal stands whether or not it could be written down
            log.warning("could not record a refused %s %s (%s)", request.method, status, slug, exc_info=True)

    def _record(self, request: Request, status: int, slug: str) -> None:
        now = clock.now()
        method = request.method if request.method in METHODS else "OTHER"
        route = request.scope.get("route")
        path = getattr(route, "path", UNROUTED)
        credential = _credential(request)
        caller = self._caller(request, credential)
        if caller is None and not self._within_limit(now):
            minute = now.replace(second=0, microsecond=0)
            row_id = f"over-limit {minute.isoformat()} {method} {path} {status} {slug}"
            self.log.count(row_id, Refusal(minute, method, path, status, slug))
            return
        refusal = Refusal(
            now, method, path, status, slug,
            agency=caller.actor.agency if caller else None,
            role=caller.actor.role if caller else None,
            user=caller.actor.user if caller else None,
            token=self.fingerprint(token_id_for(credential)) if credential else None,
        )
        self.log.add(uuid.uuid4().hex, refusal)

    def _caller(self, request: Request, credential: str | None) -> Caller | None:
        """Who was refused: known when the route authenticated them; else the credential is tried here."""
        tried = getattr(request.state, "caller", _UNTRIED)
        if tried is not _UNTRIED:
            return tried
        found = self.tokens.authenticate(credential) if credential else None
        return Caller(*found) if found else None

    def _within_limit(self, now: datetime) -> bool:
        minute = now.replace(second=0, microsecond=0)
        with self._lock:
            if minute != self._minute:
                self._minute, self._unauthenticated = minute, 0
            self._unauthenticated += 1
            return self._unauthenticated <= self.limit

    def fingerprint(self, token_id: uuid.UUID) -> str:
        """Keyed on the token's id, which the hub keeps: an operator can tell which issued token was used
        (and by whom it was held), a reader of the table alone cannot, and a forged token matches none."""
        return hmac.new(self._key, token_id.bytes, hashlib.sha256).hexdigest()[:FINGERPRINT_HEX]


_UNTRIED = object()


def _credential(request: Request) -> str | None:
    """The bearer token, or the managers' pages' session token: whichever the request presented."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE) if request.url.path.startswith("/ui") else None
