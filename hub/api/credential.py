"""The credential a request presented, whether or not it is valid: a bearer token, or on the managers' pages
the session cookie (which holds a session's id, never a token: docs/decisions/0027)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from starlette.requests import HTTPConnection

from hub.aggregates.api_token import token_id_for
from hub.web.pages import COOKIE


@dataclass(frozen=True)
class Credential:
    secret: str
    session: bool  # the pages' session cookie; else a bearer token

    @property
    def key(self) -> UUID:
        """Names the credential without holding it: a bearer token's id, and a session's the same way."""
        return token_id_for(self.secret)


def presented_credential(request: HTTPConnection) -> Credential | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return Credential(value.strip(), session=False)
    cookie = request.cookies.get(COOKIE) if request.url.path.startswith("/ui") else None
    return Credential(cookie, session=True) if cookie else None
