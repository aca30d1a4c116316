"""Helpers for API tests: tokens per actor, and assertions on problem responses."""

from __future__ import annotations

from typing import Any

import httpx

from hub.actor import Actor
from hub.application import HubApplication
from tests.builders import ADMIN


def bearer(hub: HubApplication, actor: Actor) -> dict[str, str]:
    return {"Authorization": f"Bearer {hub.issue_token(ADMIN, actor, None)}"}


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith(":" + slug), body
    assert body["status"] == status
    assert body["detail"]
    return body
