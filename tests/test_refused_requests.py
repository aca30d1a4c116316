"""Refused requests: bad tokens and other agencies' records are refused with a specific problem, and recorded.

Reads a body may not see are in the read log (AccessRecord); every other
refusal is a row of the refused-requests table, naming who (when known), which
route and why, and holding no token and nothing the caller sent.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import astuple
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub import clock
from hub.aggregates.api_token import ApiToken, token_id_for
from hub.aggregates.referral import REDIRECT_TARGETS
from hub.api.app import create_app
from hub.api.refusal_log import RefusalLog
from hub.bootstrap import Hub
from tests.api_support import assert_problem
from tests.builders import (
    ADMIN,
    AGENCIES,
    INSPECTOR,
    MANAGER,
    NGO_COORDINATOR,
    OTHER_CENTRE,
    SCHOOL_PSYCHOLOGIST,
    referral_content,
)
from tests.conftest import START
from tests.refusal_support import HubFactory, hub_with, refusals  # noqa: F401 - hub_with is a fixture
from tests.scenario import open_case, store_position, submit

ABSENT = "3f6c1f7e-0000-4000-8000-000000000000"


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def _token(app: Hub, actor: Any, days: int | None = None) -> str:
    return app.tokens.issue_token(ADMIN, actor, days)


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _revoke(app: Hub, secret: str) -> None:
    token: ApiToken = app.store.repository.get(token_id_for(secret))
    token.revoke(ADMIN, "reported lost")
    app.store.save(token)


def _same_but_for_the_id(hidden: Any, absent: Any, record_id: Any) -> None:
    """A refusal must be byte for byte the answer for a record that does not exist."""
    assert (hidden.status_code, hidden.headers["content-type"]) == (absent.status_code, absent.headers["content-type"])
    assert hidden.content.replace(str(record_id).encode(), ABSENT.encode()) == absent.content


def test_forged_expired_and_revoked_tokens_get_one_answer_and_each_is_recorded_by_fingerprint(
    client: TestClient, app: Hub, frozen: clock.FrozenClock
) -> None:
    expiring, revoked = _token(app, MANAGER, days=1), _token(app, MANAGER)
    assert client.get("/v1/inbox", headers=_bearer(expiring)).status_code == 200
    assert client.get("/v1/inbox", headers=_bearer(revoked)).status_code == 200
    frozen.advance(timedelta(days=2))
    _revoke(app, revoked)
    forged = "hub_" + "A" * 43
    bodies = []
    for secret in (forged, expiring, revoked):
        response = client.get("/v1/inbox", headers=_bearer(secret))
        bodies.append(assert_problem(response, 401, "unauthenticated"))
        assert response.headers["WWW-Authenticate"] == "Bearer"
    missing = assert_problem(client.get("/v1/inbox"), 401, "unauthenticated")
    assert bodies[0] == bodies[1] == bodies[2]  # nothing tells a prober which tokens exist
    recorder = client.app.state.refusals  # type: ignore[attr-defined]
    rows = refusals(client.app)  # type: ignore[arg-type]
    refused = [(r.method, r.path, r.status, r.problem, r.agency) for r in rows]
    assert refused == [("GET", "/v1/inbox", 401, "unauthenticated", None)] * 4
    assert sorted(r.token or "" for r in rows) == sorted(
        ["", *(recorder.fingerprint(token_id_for(s)) for s in (forged, expiring, revoked))]
    )
    assert missing["detail"] != bodies[0]["detail"]  # no token at all is told so
    for row in rows:
        assert not any(secret in str(value) for value in astuple(row) for secret in (forged, expiring, revoked))


def test_another_agency_reading_a_centres_case_learns_nothing_and_the_read_log_says_so(
    client: TestClient, app: Hub
) -> None:
    case = open_case(app)
    ngo = _bearer(_token(app, NGO_COORDINATOR))
    hidden = client.get(f"/v1/cases/{case.id}", headers=ngo)
    absent = client.get(f"/v1/cases/{ABSENT}", headers=ngo)
    assert_problem(hidden, 404, "not-found")
    _same_but_for_the_id(hidden, absent, case.id)
    app.views.catch_up()
    reads = app.views.store.reads("record_id = ?", [str(case.id)])
    assert [(r.agency, r.user, r.outcome) for r in reads if r.agency == NGO_COORDINATOR.agency] == [
        (NGO_COORDINATOR.agency, NGO_COORDINATOR.user, "denied")
    ]
    assert refusals(client.app) == []  # type: ignore[arg-type] # a read is recorded once, in the read log


def _case_and_referral(app: Hub) -> dict[str, Any]:
    case = open_case(app)
    return {"case": case, "referral": submit(app)}  # a second referral, still awaiting the CAM


CONSENT = {"purpose": "information_sharing", "recipient": "ngo", "signatories": ["parent"], "child_mature": False}
COMMANDS = [
    # (who, the route, its record, the body, the expected status and problem)
    (NGO_COORDINATOR, "/v1/children/{child_id}/consents", "case.child_id", CONSENT, 404, "not-found"),
    (OTHER_CENTRE, "/v1/cases/{case_id}/intake-actions", "case.id", {"action": "gta_notified"}, 404, "not-found"),
    (NGO_COORDINATOR, "/v1/referrals/{referral_id}/acknowledge", "referral.id", {}, 404, "not-found"),
    (SCHOOL_PSYCHOLOGIST, "/v1/referrals/{referral_id}/acknowledge", "referral.id", {}, 403, "forbidden"),
]


@pytest.mark.parametrize(
    ("actor", "template", "record", "body", "status", "slug"), COMMANDS,
    ids=["ngo-consent-on-centres-child", "other-centre-acts-on-case", "ngo-acknowledges-cams-referral",
         "school-acknowledges-cams-referral"],
)
def test_a_command_on_another_agencys_record_is_refused_changes_nothing_and_is_recorded(
    client: TestClient, app: Hub, actor: Any, template: str, record: str, body: Any, status: int, slug: str
) -> None:
    name, _, attribute = record.partition(".")
    record_id = str(getattr(_case_and_referral(app)[name], attribute))
    path = re.sub(r"\{\w+\}", record_id, template)
    token = _bearer(_token(app, actor))
    before = store_position(app)
    response = client.post(path, json=body, headers=token)
    assert_problem(response, status, slug)
    if status == 404:  # as if there were no such record
        absent = client.post(path.replace(record_id, ABSENT), json=body, headers=token)
        _same_but_for_the_id(response, absent, record_id)
    assert store_position(app) == before
    recorded = {(r.method, r.path, r.status, r.problem, r.agency, r.role, r.user) for r in refusals(client.app)}  # type: ignore[arg-type]
    assert recorded == {("POST", template, status, slug, actor.agency, actor.role, actor.user)}


NOT_RECEIVING = sorted({code for code, _, kind, _ in AGENCIES if kind not in REDIRECT_TARGETS})


@pytest.mark.parametrize("recipient", NOT_RECEIVING)
def test_a_referral_cannot_be_addressed_to_a_body_that_does_not_receive_referrals(
    client: TestClient, app: Hub, recipient: str
) -> None:
    # Found probing by hand: a referrer could name any agency, and the named body then read the whole
    # referral, e.g. an unaccompanied child's nationality and migration status at the consulate.
    body = {**referral_content().model_dump(mode="json"), "recipient_agency": recipient}
    token = _bearer(_token(app, INSPECTOR))
    before = store_position(app)
    response = client.post("/v1/referrals", json=body, headers=token)
    assert assert_problem(response, 422, "recipient-not-receiving")["field"] == "recipient_agency"
    assert store_position(app) == before
    assert [(r.path, r.status, r.problem) for r in refusals(client.app)] == [  # type: ignore[arg-type]
        ("/v1/referrals", 422, "recipient-not-receiving")
    ]


def test_a_failed_sign_in_on_the_managers_pages_is_recorded_like_a_bad_token(client: TestClient) -> None:
    response = client.post("/ui/login", data={"token": "hub_guessed"}, follow_redirects=False)
    assert response.status_code == 401 and "hub_session" not in response.cookies
    assert [(r.method, r.path, r.status, r.problem, r.agency) for r in refusals(client.app)] == [  # type: ignore[arg-type]
        ("POST", "/ui/login", 401, "unauthenticated", None)
    ]


def test_a_refusal_record_holds_no_token_and_nothing_the_caller_sent(client: TestClient, app: Hub) -> None:
    secret = _token(app, INSPECTOR)
    body = referral_content(child__given_name="Zhansaya-Unique").model_dump(mode="json")
    del body["child"]["city"]
    assert_problem(client.post("/v1/referrals?note=Zhansaya-Query", json=body, headers=_bearer(secret)), 422, "validation-error")
    (row,) = refusals(client.app)  # type: ignore[arg-type]
    assert (row.path, row.status, row.problem, row.agency, row.user) == (
        "/v1/referrals", 422, "validation-error", INSPECTOR.agency, INSPECTOR.user
    )
    assert row.token == client.app.state.refusals.fingerprint(token_id_for(secret))  # type: ignore[attr-defined]
    values = " ".join(str(v) for v in astuple(row))
    assert "Zhansaya" not in values and secret not in values and secret[4:20] not in values


def test_a_refusal_that_cannot_be_recorded_is_still_its_4xx(
    client: TestClient, app: Hub, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(RefusalLog, "add", broken)
    monkeypatch.setattr(RefusalLog, "count", broken)
    psychologist = _bearer(_token(app, SCHOOL_PSYCHOLOGIST))
    with caplog.at_level(logging.WARNING, logger="hub.api.refusals"):
        assert_problem(client.get("/v1/inbox", headers=_bearer("hub_forged")), 401, "unauthenticated")
        assert_problem(client.get("/v1/agencies", headers=psychologist), 403, "forbidden")
        headers = {**psychologist, "Content-Type": "application/json"}
        assert_problem(client.post("/v1/referrals", content=b"{", headers=headers), 400, "malformed-json")
    assert [r.message for r in caplog.records].count("could not record a refused GET 401 (unauthenticated)") == 1
    assert len(caplog.records) == 3


def test_an_authenticated_callers_identical_refusals_of_one_minute_are_one_row_that_counts_them(
    client: TestClient, app: Hub, frozen: clock.FrozenClock
) -> None:
    first, second = _token(app, SCHOOL_PSYCHOLOGIST), _token(app, SCHOOL_PSYCHOLOGIST)
    for _ in range(5):
        assert_problem(client.get("/v1/agencies", headers=_bearer(first)), 403, "forbidden")
    assert_problem(client.post(f"/v1/referrals/{ABSENT}/acknowledge", headers=_bearer(first)), 403, "forbidden")
    assert_problem(client.get("/v1/agencies", headers=_bearer(second)), 403, "forbidden")
    frozen.advance(timedelta(minutes=1))
    assert_problem(client.get("/v1/agencies", headers=_bearer(first)), 403, "forbidden")
    recorder = client.app.state.refusals  # type: ignore[attr-defined]
    one, two = (recorder.fingerprint(token_id_for(secret)) for secret in (first, second))
    rows = refusals(client.app)  # type: ignore[arg-type]
    assert {(r.agency, r.user) for r in rows} == {(SCHOOL_PSYCHOLOGIST.agency, SCHOOL_PSYCHOLOGIST.user)}
    assert sorted((r.at, r.method, r.path, r.token, r.times) for r in rows) == sorted([
        (START, "GET", "/v1/agencies", one, 5),
        (START, "POST", "/v1/referrals/{referral_id}/acknowledge", one, 1),
        (START, "GET", "/v1/agencies", two, 1),
        (START + timedelta(minutes=1), "GET", "/v1/agencies", one, 1),
    ])


def test_unauthenticated_refusals_beyond_the_limit_are_counted_not_recorded_one_by_one(
    hub_with: HubFactory, frozen: clock.FrozenClock
) -> None:
    hub = hub_with(HUB_REFUSALS_UNAUTHENTICATED_PER_MINUTE="3")
    psychologist = _bearer(_token(hub, SCHOOL_PSYCHOLOGIST))
    with TestClient(create_app(hub)) as client:
        for n in range(7):
            client.get("/v1/inbox", headers=_bearer(f"hub_forged-{n}"))
        assert client.get("/v1/agencies", headers=psychologist).status_code == 403
        frozen.advance(timedelta(minutes=1))
        client.get("/v1/inbox", headers=_bearer("hub_forged-next-minute"))
        rows = refusals(client.app)  # type: ignore[arg-type]
    one_by_one = [r for r in rows if r.times == 1]
    counted = [r for r in rows if r.times > 1]
    assert len([r for r in one_by_one if r.agency is None]) == 3 + 1
    assert all(r.token for r in one_by_one)
    assert [(r.agency, r.status) for r in one_by_one if r.agency] == [(SCHOOL_PSYCHOLOGIST.agency, 403)]
    (flood,) = counted
    assert (flood.method, flood.path, flood.status, flood.problem, flood.times, flood.token) == (
        "GET", "/v1/inbox", 401, "unauthenticated", 4, None
    )


def test_a_recording_limit_that_is_not_a_number_stops_the_api_from_starting(hub_with: HubFactory) -> None:
    with pytest.raises(ValueError, match="HUB_REFUSALS_UNAUTHENTICATED_PER_MINUTE"):
        create_app(hub_with(HUB_REFUSALS_UNAUTHENTICATED_PER_MINUTE="lots"))
