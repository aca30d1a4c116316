"""The credential a request presented, whether or not it is valid: the bearer token, or the managers'
pages' session token."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from hub.web.pages import COOKIE


def presented_credential(request: HTTPConnection) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE) if request.url.path.startswith("/ui") else None
