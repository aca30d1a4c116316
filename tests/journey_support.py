"""Each body's person at its own desk, for the journeys over HTTP (violence-system-evaluation §3)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.bootstrap import Hub
from tests.api_support import bearer


class Desk:
    """One body's person at work: its token, its inbox, its notices."""

    def __init__(self, client: TestClient, app: Hub, actor: Actor) -> None:
        self.client, self.actor, self.headers = client, actor, bearer(app, actor)

    def get(self, path: str, status: int = 200) -> Any:
        response = self.client.get(path, headers=self.headers)
        assert response.status_code == status, (self.actor, path, response.text)
        return response.json()

    def post(self, path: str, body: Any = None, status: int = 200) -> Any:
        response = self.client.post(path, json=body if body is not None else {}, headers=self.headers)
        assert response.status_code == status, (self.actor, path, response.text)
        return response.json()

    def inbox(self, queue: str = "all") -> list[dict[str, Any]]:
        return self.get(f"/v1/inbox?queue={queue}")["items"]

    def notice_ids(self, queue: str = "notices") -> set[str]:
        return {i["item_id"] for i in self.inbox(queue) if i["item_type"] == "notice"}


def told(referral: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """rule -> (agency told, state), as the referrer's receipt lists them."""
    return {n["rule"]: (n["to"], n["state"]) for n in referral["notices"]}
