"""Helpers for API tests: tokens per actor, and assertions on problem responses."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import httpx
from eventsourcing.utils import get_topic
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.aggregates.referral import Referral
from hub.api.app import create_app
from hub.api.server import serving_in_background
from hub.bootstrap import Hub
from tests.builders import ADMIN


def bearer(hub: Hub, actor: Actor) -> dict[str, str]:
    return {"Authorization": f"Bearer {hub.tokens.issue_token(ADMIN, actor, None)}"}


def assert_problem(response: httpx.Response, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith(":" + slug), body
    assert body["status"] == status
    assert body["detail"]
    return body


class Desk:
    """One actor at its own desk: its token on every request, each answer checked for its status."""

    def __init__(self, client: TestClient, app: Hub, actor: Actor) -> None:
        self.client, self.headers = client, bearer(app, actor)

    def get(self, path: str, status: int = 200) -> Any:
        response = self.client.get(path, headers=self.headers)
        assert response.status_code == status, (path, response.text)
        return response.json()

    def post(self, path: str, body: Any = None, status: int = 200) -> Any:
        response = self.client.post(path, json=body if body is not None else {}, headers=self.headers)
        assert response.status_code == status, (path, response.text)
        return response.json()

    def refused(self, path: str, body: Any, status: int, slug: str) -> dict[str, Any]:
        return assert_problem(self.client.post(path, json=body, headers=self.headers), status, slug)

    def items(self, queue: str) -> list[dict[str, Any]]:
        return self.get(f"/v1/inbox?queue={queue}")["items"]

    def put(self, path: str, body: Any, status: int = 200) -> Any:
        response = self.client.put(path, json=body, headers=self.headers)
        assert response.status_code == status, (path, response.text)
        return response.json()


def post_together(base_url: str, requests: list[tuple[str, Any, dict[str, str]]]) -> list[httpx.Response]:
    """Each (path, body, headers) POSTed by a client of its own, over real HTTP, all released together by a
    barrier; the responses in the same order."""
    barrier = threading.Barrier(len(requests))

    def post(request: tuple[str, Any, dict[str, str]]) -> httpx.Response:
        path, body, headers = request
        with httpx.Client(base_url=base_url, timeout=30) as http:
            barrier.wait()
            return http.post(path, json=body, headers=headers)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(post, requests))


def post_in_parallel(hub: Hub, path: str, body: Any, headers: dict[str, str], times: int = 5) -> list[httpx.Response]:
    """The same POST from ``times`` clients at once, over real HTTP, released together by a barrier."""
    with serving_in_background(create_app(hub)) as base_url:
        return post_together(base_url, [(path, body, headers)] * times)


class EventTally:
    """How many events of one type the log holds per aggregate, read on from where the last look ended."""

    PAGE = 10_000

    def __init__(self, hub: Hub, event_type: type) -> None:
        self.hub = hub
        self.topic = get_topic(event_type)
        self.position = 0
        self.per_aggregate: Counter[UUID] = Counter()

    def read(self) -> Counter[UUID]:
        while batch := self.hub.store.recorder.select_notifications(self.position + 1, self.PAGE, topics=[self.topic]):
            self.per_aggregate.update(UUID(str(n.originator_id)) for n in batch)
            self.position = batch[-1].id
        return self.per_aggregate

    def total(self) -> int:
        return sum(self.read().values())


def referrals_submitted(hub: Hub) -> int:
    """How many referrals the log holds: every one began with a Submitted event."""
    return EventTally(hub, Referral.Submitted).total()
