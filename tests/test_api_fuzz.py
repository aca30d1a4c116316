"""Schemathesis against the API's own OpenAPI document, with a token of every actor of the tests: never a 5xx.

Each operation gets generated requests, valid and invalid by its schema, each
sent with the token of an actor drawn from tests/builders.py; half of them name
the records of a real case instead of random ids, so commands reach the
services. Every 4xx must be problem+json. Seeded (derandomized), so a run is
repeatable, and bounded, so it fits in CI. Inputs with a structure the schema
does not show (the inbox cursor) are fuzzed in tests/test_server_error_regressions.py.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation import GenerationMode

from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind, City
from hub.api.app import create_app
from hub.api.authorization_matrix import packaged_policy, routes
from hub.bootstrap import Hub
from tests import builders
from tests.api_support import bearer
from tests.scenario import open_case, submit

EXAMPLES = 12  # per operation and store: about a minute for the whole document on both stores
ACTORS = sorted({v for v in vars(builders).values() if isinstance(v, Actor)}, key=str)
PROBLEM = "application/problem+json"


def _known_ids(app: Hub) -> dict[str, str]:
    """Records that exist, by the name of the path parameter that takes their id."""
    case = open_case(app)
    referral = submit(app)
    return {
        "case_id": str(case.id), "record_id": str(case.id), "child_id": str(case.child_id),
        "referral_id": str(referral.id),
    }


def _tokens(app: Hub) -> dict[Actor, dict[str, str]]:
    if app.directory.find_agency(builders.ADMIN.agency) is None:
        app.directory.register_agency(builders.ADMIN, builders.ADMIN.agency, "Hub operators", BodyKind.HUB, City.ASTANA)
    return {actor: bearer(app, actor) for actor in ACTORS}


def _callers(app: Hub, api: Any) -> dict[str, st.SearchStrategy[Actor]]:
    """Per operation: mostly the actors its gates let through, sometimes anyone."""
    policy = packaged_policy()
    kinds = {actor: app.directory.agency(actor.agency).kind for actor in ACTORS}
    callers = {}
    for endpoint in routes(api).gated:
        allowed = [actor for actor in ACTORS if endpoint.allows(kinds[actor], actor.role, policy)]
        callers[str(endpoint)] = st.sampled_from(allowed * 3 + ACTORS)
    return callers


def test_no_request_with_any_agencys_token_gets_a_server_error(app: Hub) -> None:
    api = create_app(app)
    schema = schemathesis.openapi.from_asgi("/openapi.json", api)
    tokens, known, callers = _tokens(app), _known_ids(app), _callers(app, api)
    failures: list[str] = []
    with TestClient(api, raise_server_exceptions=False) as client:
        for result in schema.get_all_operations():
            operation = result.ok()
            cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

            @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                      suppress_health_check=list(HealthCheck))
            @given(case=cases, actor=callers.get(operation.label, st.sampled_from(ACTORS)), real_ids=st.booleans())
            def call(case: Any, actor: Actor, real_ids: bool) -> None:
                if real_ids and case.path_parameters:
                    case.path_parameters = {k: known.get(k, v) for k, v in case.path_parameters.items()}
                kwargs = case.as_transport_kwargs(headers=tokens[actor])
                body = {"content": kwargs.pop("data")} if isinstance(kwargs.get("data"), bytes | str) else {}
                response = client.request(**{k: v for k, v in kwargs.items() if k != "base_url"}, **body)
                # call() runs to its end within this iteration, so operation is still this one here
                label = operation.label  # noqa: B023
                where = f"{label} as {actor}: {kwargs['method']} {kwargs['url']} {kwargs.get('params') or ''}"
                assert response.status_code < 500, f"{where} -> {response.status_code} {response.text[:300]}"
                if response.status_code >= 400:
                    assert response.headers["content-type"].startswith(PROBLEM), f"{where} -> {response.text[:300]}"

            try:
                call()
            except AssertionError as failure:
                failures.append(str(failure).splitlines()[0])
    assert not failures, "\n".join(failures)
