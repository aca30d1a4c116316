"""Hostile bodies over real HTTP: too large (declared or streamed), nested 100,000 deep, not UTF-8, lone surrogates.

Each is refused with its own problem+json (never a 5xx), changes nothing in the
store, and is recorded in the table of refused requests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from hub.api.app import create_app
from hub.api.server import serving_in_background
from hub.bootstrap import Hub
from tests.api_support import assert_problem, bearer, referrals_submitted
from tests.builders import INSPECTOR, MANAGER, referral_content
from tests.refusal_support import HubFactory, hub_with, refusals  # noqa: F401 - hub_with is a fixture
from tests.scenario import open_case, store_position

LIMIT = 256 * 1024  # above 100,000 nesting brackets, below the default, so the setting is what is tested
BODY = referral_content().model_dump(mode="json")


@dataclass(frozen=True)
class Served:
    hub: Hub
    http: httpx.Client
    api: FastAPI


@pytest.fixture
def served(hub_with: HubFactory) -> Iterator[Served]:
    hub = hub_with(HUB_MAX_BODY_BYTES=str(LIMIT))
    api = create_app(hub)
    with serving_in_background(api) as base_url, httpx.Client(base_url=base_url, timeout=60) as http:
        yield Served(hub, http, api)


def _padded(size: int) -> bytes:
    """A valid referral, padded with whitespace to exactly ``size`` bytes: parsed, it would be accepted."""
    body = json.dumps(BODY).encode()
    return body + b" " * (size - len(body))


def _json(token: dict[str, str]) -> dict[str, str]:
    return {**token, "Content-Type": "application/json"}


def test_a_body_declared_larger_than_the_limit_is_refused_unread_and_recorded(served: Served) -> None:
    before = store_position(served.hub)
    response = served.http.post("/v1/referrals", content=_padded(LIMIT + 1), headers=_json(bearer(served.hub, INSPECTOR)))
    assert assert_problem(response, 413, "body-too-large")["limit"] == LIMIT
    assert referrals_submitted(served.hub) == 0
    assert store_position(served.hub) == before + 1  # the token issued above, and nothing else
    (refusal,) = refusals(served.api)
    assert (refusal.method, refusal.path, refusal.status, refusal.problem) == ("POST", "/v1/referrals", 413, "body-too-large")
    assert (refusal.agency, refusal.role, refusal.user) == (INSPECTOR.agency, INSPECTOR.role, INSPECTOR.user)


def test_a_streamed_body_without_a_length_is_cut_off_once_it_passes_the_limit(served: Served) -> None:
    def chunks() -> Iterator[bytes]:
        body = _padded(4 * LIMIT)
        yield from (body[i:i + 4096] for i in range(0, len(body), 4096))

    response = served.http.post("/v1/referrals", content=chunks(), headers=_json(bearer(served.hub, INSPECTOR)))
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in response.request.headers
    assert_problem(response, 413, "body-too-large")
    assert referrals_submitted(served.hub) == 0
    assert [(r.path, r.status) for r in refusals(served.api)] == [("/v1/referrals", 413)]
    assert served.http.get("/health").status_code == 200  # the server is still serving


def test_a_body_of_exactly_the_limit_is_read(served: Served) -> None:
    response = served.http.post("/v1/referrals", content=_padded(LIMIT), headers=_json(bearer(served.hub, INSPECTOR)))
    assert response.status_code == 201, response.text
    assert refusals(served.api) == []


def test_a_limit_that_is_not_a_number_stops_the_api_from_starting(hub_with: HubFactory) -> None:
    with pytest.raises(ValueError, match="HUB_MAX_BODY_BYTES"):
        create_app(hub_with(HUB_MAX_BODY_BYTES="1MB"))


def _targets(hub: Hub) -> dict[str, tuple[str, dict[str, str]]]:
    """One route of each kind of body handling: a body model, a command from the table, an agency's raw message."""
    case = open_case(hub)
    return {
        "model": ("/v1/referrals", _json(bearer(hub, INSPECTOR))),
        "command": (f"/v1/cases/{case.id}/intake-actions", _json(bearer(hub, MANAGER))),
        "message": ("/v1/adapters/police/messages", {**_json(bearer(hub, INSPECTOR)), "Message-Id": "hostile-1"}),
    }


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"[" * 100_000, "nested too deeply"),
        (b'{"a":' * 40_000 + b"1" + b"}" * 40_000, "nested too deeply"),
        (b'{"referrer": "\xff\xfe"}', "UTF-8"),
        (b'{"referrer": "\xed\xa0\x80"}', "UTF-8"),  # a surrogate, encoded as if it were a character
    ],
    ids=["100000-brackets", "40000-objects", "not-utf8", "encoded-surrogate"],
)
@pytest.mark.parametrize("target", ["model", "command", "message"])
def test_a_body_that_is_not_json_is_a_400_naming_why_on_every_kind_of_route(
    served: Served, content: bytes, why: str, target: str
) -> None:
    path, headers = _targets(served.hub)[target]
    before = store_position(served.hub)
    body = assert_problem(served.http.post(path, content=content, headers=headers), 400, "malformed-json")
    if target != "message":  # an agency message names the position instead (adapters/errors.py)
        assert why in body["detail"]
    assert store_position(served.hub) == before
    recorded = [r for r in refusals(served.api) if r.status == 400]
    assert [(r.method, r.problem, r.agency is not None) for r in recorded] == [("POST", "malformed-json", True)]
    assert served.http.get("/health").status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: {**b, "child": {**b["child"], "given_name": "\ud800"}}, "child.given_name"),
        (lambda b: {**b, "concern": {**b["concern"], "description": "bruises \udfff"}}, "concern.description"),
        (lambda b: {**b, "\udbff": 1}, "body"),
    ],
    ids=["lone-high-surrogate", "lone-low-surrogate", "surrogate-key"],
)
def test_a_lone_surrogate_escaped_in_a_string_is_a_422_naming_the_field(served: Served, change: Any, field: str) -> None:
    content = json.dumps(change(BODY)).encode()  # json escapes it as \ud800: valid JSON, but no character
    assert b"\\ud" in content
    before = store_position(served.hub)
    response = served.http.post("/v1/referrals", content=content, headers=_json(bearer(served.hub, INSPECTOR)))
    assert assert_problem(response, 422, "validation-error")["field"] == field
    assert store_position(served.hub) == before + 1  # the token
    assert [(r.status, r.problem) for r in refusals(served.api)] == [(422, "validation-error")]
