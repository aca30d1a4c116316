"""Server errors found while fuzzing the API, each kept as requests that must stay 4xx.

schemathesis (tests/test_api_fuzz.py) draws values by the OpenAPI schema, so it
cannot make an opaque value with a structure inside; these were found by hand,
by giving such a value every shape.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.api.app import create_app
from hub.application import HubApplication
from tests.api_support import assert_problem, bearer
from tests.builders import MANAGER
from tests.scenario import submit

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=4,
)


@pytest.fixture
def client(app: HubApplication) -> Iterator[TestClient]:
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
    client: TestClient, app: HubApplication, position: Any
) -> None:
    # The cursor's JSON went to SQL as it came: PostgreSQL failed on anything but the two strings the
    # inbox writes, SQLite on an object or a number too large to bind; both answered 500.
    response = client.get("/v1/inbox", params={"cursor": _cursor(position)}, headers=bearer(app, MANAGER))
    assert assert_problem(response, 422, "invalid-input")["field"] == "cursor"


def test_any_json_in_an_inbox_cursor_is_a_page_or_a_422(client: TestClient, app: HubApplication) -> None:
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
