"""Working in the pages as a person would, over HTTP: sign in with a token, take the form's CSRF token, post."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.bootstrap import Hub
from tests.builders import ADMIN

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def signed_in(client: TestClient, app: Hub, actor: Actor) -> TestClient:
    """The client, signed in as ``actor``, reading English."""
    client.cookies.clear()
    client.get("/ui/login?lang=en")  # the page's language is kept in a cookie
    response = client.post("/ui/login?lang=en", data={"token": app.tokens.issue_token(ADMIN, actor)},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def post_form(client: TestClient, page: str, action: str, data: dict[str, Any]) -> Any:
    """Posts a form of ``page`` as its button would, with the page's CSRF token."""
    match = CSRF.search(client.get(page).text)
    assert match, f"{page} holds no form"
    return client.post(action, data={"csrf": match.group(1), **data}, follow_redirects=False)
