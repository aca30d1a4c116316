"""Every route of the API, called with a token of every kind of body and role the hub knows.

The expected answer is generated from the policy (the gates each route depends
on: commands.yaml's permission for its command, an adapter's senders,
privacy.yaml's statistics recipients); a route that has no gate and no stated
reason to be public fails the suite.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind, City
from hub.api.app import create_app
from hub.api.authorization_matrix import UNGATED, Endpoint, packaged_policy, principals, render, routes
from hub.bootstrap import Hub, bootstrap
from tests.api_support import bearer
from tests.builders import ADMIN, AGENCIES

DOCS = Path(__file__).resolve().parent.parent / "docs" / "authorization-matrix.md"
SOME_ID = "3f6c1f7e-0000-4000-8000-000000000000"
PROBLEM = "application/problem+json"


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def _agency_of(app: Hub, kind: BodyKind) -> str:
    """The test agency of this kind, registering one for kinds the builders have none of."""
    code = next((code for code, _, k, _ in AGENCIES if k == kind), None)
    if code is None:
        code = f"matrix-{kind}".replace("_", "-")
        if code not in {agency.code for agency in app.directory.agencies()}:
            safeguards = "school-almaty-12" if kind == BodyKind.SAFEGUARDING_LEAD else None  # a lead names its body
            app.directory.register_agency(ADMIN, code, f"Matrix test body ({kind})", kind, City.ALMATY, safeguards=safeguards)
    return code


def _tokens(app: Hub) -> dict[tuple[BodyKind, str], dict[str, str]]:
    return {
        (kind, role): bearer(app, Actor(_agency_of(app, kind), role, f"matrix.{role}")) for kind, role in principals()
    }


def _parameters(spec: dict[str, Any], endpoint: Endpoint) -> list[dict[str, Any]]:
    return spec["paths"][endpoint.path][endpoint.method.lower()].get("parameters", [])


def _url(spec: dict[str, Any], endpoint: Endpoint) -> str:
    """The route with each path parameter set to a value of its declared type (an id of no record)."""
    values = {}
    for parameter in _parameters(spec, endpoint):
        schema = parameter["schema"]
        values[parameter["name"]] = schema["enum"][0] if "enum" in schema else SOME_ID
    return endpoint.path.format(**values)


def _call(client: TestClient, spec: dict[str, Any], endpoint: Endpoint, headers: dict[str, str]) -> Any:
    url = _url(spec, endpoint)
    if endpoint.method == "GET":
        return client.get(url, headers=headers)
    return client.request(endpoint.method, url, json={}, headers=headers)


def test_every_route_is_gated_or_publicly_listed_with_a_reason(app: Hub) -> None:
    found = routes(create_app(app))
    assert found.unclassified == [], f"give these routes a gate (hub/api/auth.py) or a reason in UNGATED: {found.unclassified}"
    assert sorted(found.ungated) == sorted(UNGATED), "UNGATED names routes the app no longer has"
    spec = create_app(app).openapi()
    documented = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    classified = {(e.method, e.path) for e in found.gated} | set(found.ungated)
    assert documented <= classified
    assert len(found.gated) > 40


# Who is let through is decided before the store is touched (hub/api/auth.py): the sweep of every route for
# every principal (about 100 s) runs on the embedded store; tests/test_api_fuzz.py sends every route to both.
# Alone it is most of what the fast subset could afford, so only the whole suite runs it.
@pytest.mark.slow
@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_each_kind_of_body_and_role_is_let_through_exactly_where_the_policy_says(
    client: TestClient, app: Hub
) -> None:
    spec = client.app.openapi()  # type: ignore[attr-defined]
    policy = packaged_policy()
    tokens = _tokens(app)
    wrong = []
    # Each principal calls from an address of its own, as each office does, so that the sweep is not
    # cut short by the per-address rate limit that one address sending every call would reach.
    offices = {principal: TestClient(client.app, client=(f"10.1.0.{n + 1}", 50000)) for n, principal in enumerate(tokens)}
    for endpoint in routes(client.app).gated:  # type: ignore[arg-type]
        for (kind, role), headers in tokens.items():
            response = _call(offices[kind, role], spec, endpoint, headers)
            allowed = endpoint.allows(kind, role, policy)
            refused = response.status_code in (401, 403)
            if allowed == refused or (refused and not response.headers["content-type"].startswith(PROBLEM)):
                wrong.append(f"{endpoint} as {kind}:{role}: {response.status_code} {response.text[:120]}")
    assert not wrong, "\n".join(wrong)


def test_every_gated_route_refuses_a_request_without_a_valid_token(client: TestClient) -> None:
    spec = client.app.openapi()  # type: ignore[attr-defined]
    for endpoint in routes(client.app).gated:  # type: ignore[arg-type]
        for headers in ({}, {"Authorization": "Bearer hub_forged-" + uuid.uuid4().hex}):
            response = _call(client, spec, endpoint, headers)
            assert response.status_code == 401, f"{endpoint}: {response.status_code}"
            assert response.headers["content-type"].startswith(PROBLEM)
            assert response.json()["type"].endswith(":unauthenticated")
            assert response.headers["WWW-Authenticate"] == "Bearer"


def test_no_page_serves_or_acts_for_a_visitor_who_has_not_signed_in(client: TestClient, app: Hub) -> None:
    pages = [(method, path) for (method, path), reason in UNGATED.items() if "manager's page" in reason]
    assert pages
    before = app.store.recorder.max_notification_id()
    for method, path in pages:
        url = re.sub(r"\{\w+_id\}", SOME_ID, path).replace("{action}", "acknowledge")
        if method == "GET":
            response = client.get(url, follow_redirects=False)
            assert (response.status_code, response.headers.get("location")) == (303, "/ui/login"), url
        else:
            response = client.post(url, data={"csrf": "x", "social_worker": "x"}, follow_redirects=False)
            assert response.status_code in (403, 422), url
    assert app.store.recorder.max_notification_id() == before


def test_the_committed_matrix_is_the_one_the_routes_and_policy_give(tmp_path) -> None:
    hub = bootstrap({"HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}"})
    try:
        expected = render(create_app(hub), packaged_policy())
    finally:
        hub.close()
    regenerate = "run: python -m hub.api.authorization_matrix > docs/authorization-matrix.md"
    assert DOCS.read_text(encoding="utf-8") == expected, regenerate
