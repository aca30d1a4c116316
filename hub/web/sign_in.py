"""Signing in to the pages and out again: by a one-time link or code sent to a registered address, or by a
token (machines and administrators); either starts a server-side session (docs/decisions/0027, 0048)."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from hub.api.deps import SignInLinks as Links
from hub.web.guard import SignedIn, WebSessions, back, check, cookie
from hub.web.labels import N_
from hub.web.rendering import COOKIE, page, translate

router = APIRouter(prefix="/ui", include_in_schema=False)
BAD_TOKEN = N_("This token is not valid. Ask your administrator for a new one.")
BAD_LINK = N_("This link or code is not valid any more: it works once, for a few minutes. Ask for a new one.")


@router.get("", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return back("/ui/inbox")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return page(request, "login.html", None)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, sessions: WebSessions, token: str = Form(..., max_length=200)) -> Response:
    return _session(request, sessions, token.strip(), BAD_TOKEN)


@router.post("/login/link", response_class=HTMLResponse)
def send_link(
    request: Request, links: Links, background: BackgroundTasks, address: str = Form(..., max_length=254)
) -> Response:
    """The same answer whether or not the address is registered; the mail goes after the answer, so that
    neither the answer nor its time tells which."""
    background.add_task(links.send, address)
    return page(request, "login_sent.html", None, address=address.strip())


@router.get("/login/link", response_class=HTMLResponse)
def open_link(request: Request, t: str = "") -> Response:
    """A button, not a sign-in: a mail scanner that opens the link does not use it up."""
    return page(request, "login_link.html", None, link=t[:100])


@router.post("/login/link/use", response_class=HTMLResponse)
def use_link(request: Request, sessions: WebSessions, links: Links, link: str = Form(..., max_length=100)) -> Response:
    return _session(request, sessions, links.redeem_link(link), BAD_LINK)


@router.post("/login/code", response_class=HTMLResponse)
def use_code(
    request: Request, sessions: WebSessions, links: Links, address: str = Form(..., max_length=254),
    code: str = Form(..., max_length=20),
) -> Response:
    return _session(request, sessions, links.redeem_code(address, code), BAD_LINK)


def _session(request: Request, sessions: WebSessions, token: str | None, refusal: str) -> Response:
    """A new session for the holder of ``token``; the sign-in page again with ``refusal`` without one."""
    session = sessions.start(token) if token else None
    if session is None:
        request.app.state.refusals.record(request, 401, "unauthenticated")
        return page(request, "login.html", None, status=401, error=translate(request, refusal))
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
