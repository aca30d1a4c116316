"""Signing in to the pages and out again."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hub.web.guard import SignedIn, WebSessions, back, check, cookie
from hub.web.labels import N_
from hub.web.rendering import COOKIE, page, translate

router = APIRouter(prefix="/ui", include_in_schema=False)
BAD_TOKEN = N_("This token is not valid. Ask your administrator for a new one.")


@router.get("", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return back("/ui/inbox")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return page(request, "login.html", None)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, sessions: WebSessions, token: str = Form(..., max_length=200)) -> Response:
    session = sessions.start(token.strip())
    if session is None:
        request.app.state.refusals.record(request, 401, "unauthenticated")
        return page(request, "login.html", None, status=401, error=translate(request, BAD_TOKEN))
    previous = request.cookies.get(COOKIE)
    if previous:
        sessions.end(previous)  # a new sign-in is a new session: an id known before it gives nothing
    response = back("/ui/inbox")
    response.set_cookie(COOKIE, session.id, **cookie(request))
    return response


@router.post("/logout")
def logout(request: Request, caller: SignedIn, sessions: WebSessions, csrf: str = Form(...)) -> Response:
    check(caller, request, csrf, None)
    sessions.end(request.cookies[COOKIE])
    response = back("/ui/login")
    response.delete_cookie(COOKIE, **cookie(request))
    return response
