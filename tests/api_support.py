"""Helpers for API tests: tokens per actor, and assertions on problem responses."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from hub.api.app import create_app
from hub.api.server import serving_in_background

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


def post_in_parallel(hub: HubApplication, path: str, body: Any, headers: dict[str, str], times: int = 5) -> list[httpx.Response]:
    """The same POST from ``times`` clients at once, over real HTTP, released together by a barrier."""
    barrier = threading.Barrier(times)
    with serving_in_background(create_app(hub)) as base_url:

        def post(_: int) -> httpx.Response:
            with httpx.Client(base_url=base_url, timeout=30) as http:
                barrier.wait()
                return http.post(path, json=body, headers=headers)

        with ThreadPoolExecutor(max_workers=times) as pool:
            return list(pool.map(post, range(times)))


def referrals_submitted(hub: HubApplication) -> int:
    """How many referrals the log holds: every one began with a Submitted event."""
    notifications = hub.recorder.select_notifications(start=1, limit=1_000_000)
    return sum(1 for n in notifications if n.topic.endswith("Referral.Submitted"))
