"""Rate limits per token and per client address: 429 problem+json with Retry-After, before the request is
read, recorded like any refusal and collapsed to one row a minute (docs/decisions/0022)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from limits.aio.strategies import MovingWindowRateLimiter

from hub import clock
from hub.aggregates.api_token import token_id_for
from hub.api.app import create_app
from hub.api.server import serving_in_background
from hub.application import HubApplication
from tests.api_support import assert_problem, bearer
from tests.builders import ADMIN, INSPECTOR, MANAGER
from tests.refusal_support import HubFactory, hub_with, refusals  # noqa: F401 - hub_with is a fixture
from tests.scenario import store_position


def _retry_after(response: httpx.Response) -> int:
    assert_problem(response, 429, "rate-limited")
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 60  # within the limit's minute
    return seconds


def test_a_token_over_its_limit_is_told_when_to_come_back_and_other_tokens_are_not_held_up(
    hub_with: HubFactory,
) -> None:
    hub = hub_with(HUB_RATE_LIMIT_PER_TOKEN="3/minute")
    busy, other = bearer(hub, MANAGER), bearer(hub, MANAGER)
    with TestClient(create_app(hub)) as client:
        assert [client.get("/v1/inbox", headers=busy).status_code for _ in range(3)] == [200] * 3
        _retry_after(client.get("/v1/inbox", headers=busy))
        assert client.get("/v1/inbox", headers=other).status_code == 200


def test_a_body_over_the_limit_is_not_read(hub_with: HubFactory) -> None:
    hub = hub_with(HUB_RATE_LIMIT_PER_TOKEN="1/minute")
    token = bearer(hub, INSPECTOR)
    with TestClient(create_app(hub)) as client:
        client.get("/v1/inbox", headers=token)
        before = store_position(hub)
        # Malformed, it would be a 400 had it been parsed.
        response = client.post("/v1/referrals", content=b"{", headers={**token, "Content-Type": "application/json"})
        _retry_after(response)
    assert store_position(hub) == before


def test_requests_without_a_token_are_limited_by_their_address(hub_with: HubFactory) -> None:
    hub = hub_with(HUB_RATE_LIMIT_PER_ADDRESS="2/minute")
    with TestClient(create_app(hub)) as client:
        assert [client.get("/v1/inbox").status_code for _ in range(2)] == [401, 401]
        _retry_after(client.get("/v1/inbox"))
        _retry_after(client.get("/v1/inbox", headers=bearer(hub, MANAGER)))  # the address is spent, token or not


def test_requests_over_the_limit_are_one_row_a_minute_and_do_not_each_look_the_token_up(
    hub_with: HubFactory, frozen: clock.FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = hub_with(HUB_RATE_LIMIT_PER_TOKEN="2/minute")
    secret = hub.tokens.issue_token(ADMIN, MANAGER, None)
    looked_up = []
    authenticate = hub.tokens.authenticate
    monkeypatch.setattr(hub.tokens, "authenticate", lambda s: looked_up.append(s) or authenticate(s))
    with TestClient(create_app(hub)) as client:
        token = {"Authorization": f"Bearer {secret}"}
        answers = [client.get("/v1/inbox", headers=token).status_code for _ in range(12)]
        frozen.advance(timedelta(minutes=1))
        answers.append(client.get("/v1/inbox", headers=token).status_code)
        rows = refusals(client.app)  # type: ignore[arg-type]
        fingerprint = client.app.state.refusals.fingerprint(token_id_for(secret))  # type: ignore[attr-defined]
    assert answers == [200, 200] + [429] * 11
    assert [(r.method, r.path, r.status, r.problem, r.agency, r.user, r.token, r.times) for r in rows] == [
        ("GET", "/v1/inbox", 429, "rate-limited", MANAGER.agency, MANAGER.user, fingerprint, 10),
        ("GET", "/v1/inbox", 429, "rate-limited", MANAGER.agency, MANAGER.user, fingerprint, 1),
    ]
    assert len(looked_up) == 2 + 2  # the two answered, and the first refusal of each minute


def test_when_the_counts_cannot_be_reached_requests_are_served_and_it_is_logged(
    hub_with: HubFactory, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    hub = hub_with(HUB_RATE_LIMIT_STRATEGY="moving-window")

    async def unreachable(*args: Any, **kwargs: Any) -> bool:
        raise ConnectionError("the counts' store is away")

    monkeypatch.setattr(MovingWindowRateLimiter, "hit", unreachable)
    with TestClient(create_app(hub)) as client, caplog.at_level(logging.WARNING, logger="hub.api.rate_limits"):
        assert client.get("/v1/inbox", headers=bearer(hub, MANAGER)).status_code == 200
    assert [r.getMessage() for r in caplog.records] == ["could not count a request against the rate limits"]


@contextmanager
def _served(hub: HubApplication, trusted_proxies: str) -> Iterator[httpx.Client]:
    with serving_in_background(create_app(hub), env={"HUB_FORWARDED_ALLOW_IPS": trusted_proxies}) as base_url:
        with httpx.Client(base_url=base_url, timeout=30) as http:
            yield http


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(hub_with: HubFactory) -> None:
    hub = hub_with(HUB_RATE_LIMIT_PER_ADDRESS="2/minute")
    with _served(hub, trusted_proxies="127.0.0.1") as http:
        assert [http.get("/health", headers=_from("203.0.113.5")).status_code for _ in range(2)] == [200, 200]
        _retry_after(http.get("/health", headers=_from("203.0.113.5")))
        assert http.get("/health", headers=_from("203.0.113.6")).status_code == 200


def test_a_client_cannot_choose_its_address_unless_it_is_a_trusted_proxy(hub_with: HubFactory) -> None:
    hub = hub_with(HUB_RATE_LIMIT_PER_ADDRESS="2/minute")
    with _served(hub, trusted_proxies="192.0.2.1") as http:
        assert [http.get("/health", headers=_from(f"203.0.113.{n}")).status_code for n in range(2)] == [200, 200]
        _retry_after(http.get("/health", headers=_from("203.0.113.99")))


@pytest.mark.parametrize(
    ("setting", "value"),
    [("HUB_RATE_LIMIT_PER_TOKEN", "lots"), ("HUB_RATE_LIMIT_PER_ADDRESS", "100/fortnight"),
     ("HUB_RATE_LIMIT_STRATEGY", "leaky-bucket"), ("HUB_RATE_LIMIT_STORAGE", "carrier-pigeon://loft")],
)
def test_a_rate_limit_setting_that_means_nothing_stops_the_api_from_starting(
    hub_with: HubFactory, setting: str, value: str
) -> None:
    with pytest.raises(ValueError, match=setting):
        create_app(hub_with(**{setting: value}))
