"""Server errors found while fuzzing the API, each kept as requests that must stay 4xx.

schemathesis (tests/test_api_fuzz.py) draws values by the OpenAPI schema: it
makes no opaque value with a structure inside, and no date-time without an
offset (RFC 3339 requires one, pydantic accepted it); and the managers' pages are
not in the document at all. These were found by hand.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.api_support import assert_problem, bearer
from tests.builders import ADMIN, MANAGER
from tests.scenario import open_case, store_position, submit

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=4,
)


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app), raise_server_exceptions=False) as test_client:
        yield test_client


def _cursor(position: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


@pytest.mark.parametrize(
    "position",
    [[{"due_at": "x"}, "id"], [1, 2], [10**30, "id"], [1.5, "id"], ["2026-03-02\u0000", "id"], [None, None]],
    ids=["object", "numbers", "huge-number", "float", "nul", "nulls"],
)
def test_an_inbox_cursor_the_hub_did_not_write_is_a_422_not_a_database_error(
    client: TestClient, app: Hub, position: Any
) -> None:
    # The cursor's JSON went to SQL as it came: PostgreSQL failed on anything but the two strings the
    # inbox writes, SQLite on an object or a number too large to bind; both answered 500.
    response = client.get("/v1/inbox", params={"cursor": _cursor(position)}, headers=bearer(app, MANAGER))
    assert assert_problem(response, 422, "invalid-input")["field"] == "cursor"


def test_any_json_in_an_inbox_cursor_is_a_page_or_a_422(client: TestClient, app: Hub) -> None:
    submit(app)  # one referral in the centre's inbox, so a cursor is compared with a real row
    manager = bearer(app, MANAGER)
    real = client.get("/v1/inbox", params={"limit": 1}, headers=manager)
    assert real.status_code == 200 and real.json()["items"]

    @settings(max_examples=60, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(position=st.lists(JSON_VALUES, min_size=2, max_size=2) | JSON_VALUES)
    def page(position: Any) -> None:
        response = client.get("/v1/inbox", params={"cursor": _cursor(position)}, headers=manager)
        assert response.status_code in (200, 422), f"{position!r}: {response.status_code} {response.text[:200]}"

    page()


def test_a_consent_expiry_without_a_utc_offset_is_a_422_naming_the_field(client: TestClient, app: Hub) -> None:
    # A bare local time was compared with the hub's UTC clock: TypeError, 500.
    child_id = open_case(app).child_id
    manager = bearer(app, MANAGER)
    before = store_position(app)
    consent = {"purpose": "information_sharing", "recipient": "ngo", "signatories": ["parent"], "child_mature": False,
               "expires_at": "2030-01-01T00:00:00"}
    response = client.post(f"/v1/children/{child_id}/consents", json=consent, headers=manager)
    assert assert_problem(response, 422, "validation-error")["field"] == "expires_at"
    assert store_position(app) == before
    with_offset = client.post(f"/v1/children/{child_id}/consents", json={**consent, "expires_at": "2030-01-01T00:00:00+05:00"},
                              headers=manager)
    assert with_offset.status_code == 200, with_offset.text



def _sign_in(client: TestClient, app: Hub) -> None:
    response = client.post("/ui/login", data={"token": app.tokens.issue_token(ADMIN, MANAGER, None)}, follow_redirects=False)
    assert response.status_code == 303


def test_the_inbox_page_with_a_queue_it_does_not_know_shows_the_new_referrals(client: TestClient, app: Hub) -> None:
    # The page named the queue it was asked for, and no translation names an unknown one: KeyError, 500.
    _sign_in(client, app)
    unknown = client.get("/ui/inbox", params={"queue": "everything", "lang": "en"})
    new = client.get("/ui/inbox", params={"queue": "new", "lang": "en"})
    assert (unknown.status_code, unknown.text) == (200, new.text)


@pytest.mark.parametrize("reasons", ["\n".join(f"reason {n}" for n in range(21)), "x" * 2001], ids=["21-reasons", "long-reason"])
def test_a_decline_from_the_page_is_held_to_the_apis_limits(client: TestClient, app: Hub, reasons: str) -> None:
    # The form passed every line on, unbounded, to the log; the API allows 20 reasons of 2000 characters.
    referral = submit(app)
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    _sign_in(client, app)
    page = client.get(f"/ui/referrals/{referral.id}")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = client.post(f"/ui/referrals/{referral.id}/decline", data={"csrf": csrf, "reasons": reasons},
                           follow_redirects=False)
    # refused, and the form shown again with what was typed (its re-reading of the referral is recorded)
    assert response.status_code == 422 and reasons.splitlines()[-1] in response.text
    assert app.store.repository.get(referral.id).state == "acknowledged"
    api = client.post(f"/v1/referrals/{referral.id}/decline", json={"reasons": reasons.splitlines()},
                      headers=bearer(app, MANAGER))
    assert_problem(api, 422, "validation-error")
