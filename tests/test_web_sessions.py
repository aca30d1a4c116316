"""The managers' pages keep a server-side session: the cookie holds a random id, never the token; the session
ends when idle, when too old, on sign-out and when its token is revoked; the forms' CSRF token is the
session's (docs/decisions/0027)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from hub import clock
from hub.aggregates.api_token import token_id_for
from hub.api.app import create_app
from hub.bootstrap import Hub
from hub.projections.sql import Sql
from hub.web.pages import COOKIE
from hub.web.session_table import TABLE
from tests.builders import ADMIN, MANAGER
from tests.refusal_support import HubFactory, hub_with, refusals  # noqa: F401 - hub_with is a fixture
from tests.scenario import submit

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def _sign_in(client: TestClient, token: str) -> str:
    """Signs in; returns the session cookie's value."""
    response = client.post("/ui/login", data={"token": token}, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/ui/inbox")
    return response.cookies[COOKIE]


def _signed_in(client: TestClient) -> bool:
    response = client.get("/ui/inbox", follow_redirects=False)
    assert response.status_code in (200, 303)
    return response.status_code == 200


def _csrf(client: TestClient) -> str:
    match = CSRF.search(client.get("/ui/inbox").text)
    assert match
    return match.group(1)


def _stored(app: Hub) -> list[tuple[object, ...]]:
    return Sql(app.store.recorder).query("SELECT * FROM {hub_web_sessions}", [TABLE])


def test_the_cookie_holds_a_random_session_id_kept_only_as_a_hash_never_the_token(client: TestClient, app: Hub) -> None:
    token = app.tokens.issue_token(ADMIN, MANAGER)
    response = client.post("/ui/login", data={"token": token}, follow_redirects=False)
    cookie = response.headers["set-cookie"]
    session_id = response.cookies[COOKIE]
    assert token not in cookie and token[4:20] not in cookie and session_id != token
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/ui"} <= attributes and "secure" not in attributes
    (row,) = _stored(app)
    assert row[0] == hashlib.sha256(session_id.encode()).hexdigest()  # the id itself is nowhere on the server
    assert not any(value in str(row) for value in (session_id, token))
    assert _signed_in(client)
    assert _sign_in(client, token) != session_id  # every sign-in is a new session, and the old one ends
    assert len(_stored(app)) == 1


def test_over_https_the_cookie_is_sent_only_over_https(app: Hub) -> None:
    with TestClient(create_app(app), base_url="https://hub.example") as client:
        response = client.post("/ui/login", data={"token": app.tokens.issue_token(ADMIN, MANAGER)},
                               follow_redirects=False)
    assert "secure" in {part.strip().lower() for part in response.headers["set-cookie"].split(";")}


def test_a_session_ends_after_the_idle_time_and_after_the_longest_time_in_all(
    hub_with: HubFactory, frozen: clock.FrozenClock
) -> None:
    hub = hub_with(HUB_SESSION_IDLE_MINUTES="20", HUB_SESSION_MAX_HOURS="2")
    token = hub.tokens.issue_token(ADMIN, MANAGER)
    with TestClient(create_app(hub)) as client:
        _sign_in(client, token)
        frozen.advance(timedelta(minutes=19))
        assert _signed_in(client)  # and this page starts the idle time again
        frozen.advance(timedelta(minutes=19))
        assert _signed_in(client)
        frozen.advance(timedelta(minutes=21))
        assert not _signed_in(client)

        _sign_in(client, token)
        for _ in range(7):  # never idle, for 1 h 45 min
            frozen.advance(timedelta(minutes=15))
            assert _signed_in(client)
        frozen.advance(timedelta(minutes=15))  # two hours since signing in
        assert not _signed_in(client)
        assert _sign_in(client, token)  # the token itself is still good


def test_signing_out_ends_the_session_on_the_server(client: TestClient, app: Hub) -> None:
    session_id = _sign_in(client, app.tokens.issue_token(ADMIN, MANAGER))
    signed_out = client.post("/ui/logout", data={"csrf": _csrf(client)}, follow_redirects=False)
    assert (signed_out.status_code, signed_out.headers["location"]) == (303, "/ui/login")
    assert _stored(app) == []
    client.cookies.set(COOKIE, session_id, path="/ui")  # a copy of the cookie, kept by whoever took it
    assert not _signed_in(client)


def test_revoking_the_token_ends_its_sessions(client: TestClient, app: Hub) -> None:
    token = app.tokens.issue_token(ADMIN, MANAGER)
    _sign_in(client, token)
    assert _signed_in(client)
    app.tokens.revoke(ADMIN, token_id_for(token), "left the centre")
    assert not _signed_in(client)
    assert _stored(app) == []


def test_a_form_needs_the_csrf_token_of_its_own_session(app: Hub) -> None:
    referral = submit(app)
    token = app.tokens.issue_token(ADMIN, MANAGER)
    api = create_app(app)
    with TestClient(api) as first, TestClient(api) as second:
        _sign_in(first, token)
        _sign_in(second, token)  # the same manager, signed in on another computer
        other_sessions = _csrf(first)
        refused = second.post(f"/ui/referrals/{referral.id}/acknowledge", data={"csrf": other_sessions},
                              follow_redirects=False)
        assert refused.status_code == 403
        assert app.store.repository.get(referral.id).state == "submitted"
        done = second.post(f"/ui/referrals/{referral.id}/acknowledge", data={"csrf": _csrf(second)},
                           follow_redirects=False)
        assert done.status_code == 303
    assert app.store.repository.get(referral.id).state == "acknowledged"
    (row,) = refusals(api)
    fingerprint = api.state.refusals.fingerprint(token_id_for(token))
    assert (row.path, row.status, row.agency, row.user, row.token) == (
        "/ui/referrals/{referral_id}/{action}", 403, MANAGER.agency, MANAGER.user, fingerprint
    )


def test_session_settings_that_are_not_numbers_stop_the_pages_from_starting(hub_with: HubFactory) -> None:
    with pytest.raises(ValueError, match="HUB_SESSION_IDLE_MINUTES"):
        create_app(hub_with(HUB_SESSION_IDLE_MINUTES="soon"))
