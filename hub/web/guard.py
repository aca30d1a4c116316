"""What every page needs before it acts: the signed-in caller of the session, the form's CSRF token, the role.

Signing in starts a server-side session (hub/web/sessions.py): the cookie holds the
session's random id, never the token. Forms post back and redirect (post/redirect/get).
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse

from hub.api.auth import Caller
from hub.errors import Forbidden
from hub.permissions import may
from hub.web.rendering import COOKIE
from hub.web.rendering import csrf as csrf_token
from hub.web.sessions import Sessions


def sessions_of(request: Request) -> Sessions:
    return request.app.state.sessions


WebSessions = Annotated[Sessions, Depends(sessions_of)]


def signed_in(request: Request, sessions: WebSessions) -> Caller | None:
    session_id = request.cookies.get(COOKIE)
    # Tried: a refusal on this page is then recorded without looking the session up again.
    request.state.caller = sessions.resume(session_id) if session_id else None
    return request.state.caller


SignedIn = Annotated[Caller | None, Depends(signed_in)]


def check(caller: Caller | None, request: Request, csrf: str | None, command: str | None) -> Caller:
    if caller is None:
        raise Forbidden("sign in first")
    if csrf is not None and not hmac.compare_digest(csrf, csrf_token(request.cookies.get(COOKIE, ""))):
        raise Forbidden("this form has expired; reload the page")
    if command is not None and not may(caller.agency.kind, caller.actor.role, command):
        raise Forbidden(f"a {caller.actor.role} may not {command}")
    return caller


def back(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def cookie(request: Request) -> dict[str, Any]:
    """The session cookie: for the pages only, never read by a script, never sent from another site, and
    only over https where the hub is served over https."""
    return {"path": "/ui", "httponly": True, "samesite": "strict", "secure": request.url.scheme == "https"}
