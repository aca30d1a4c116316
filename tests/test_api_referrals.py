"""Submitting and answering referrals over HTTP: idempotency, errors, and no change on refusal."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.api_support import assert_problem, bearer, post_in_parallel, referrals_submitted
from tests.builders import INSPECTOR, MANAGER, OTHER_CENTRE, SCHOOL_PSYCHOLOGIST, referral_content

BODY = referral_content().model_dump(mode="json")


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def test_five_parallel_submissions_with_one_idempotency_key_make_one_referral(app: Hub) -> None:
    headers = {**bearer(app, INSPECTOR), "Idempotency-Key": "ji-almaty-protocol-0042"}
    responses = post_in_parallel(app, "/v1/referrals", BODY, headers)

    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert [r.headers.get("Idempotency-Replayed") for r in responses].count("true") == 4
    assert referrals_submitted(app) == 1


def test_a_repeat_returns_the_first_referral_and_a_new_key_makes_a_new_one(client: TestClient, app: Hub) -> None:
    headers = bearer(app, INSPECTOR)
    first = client.post("/v1/referrals", json=BODY, headers={**headers, "Idempotency-Key": "k-1"})
    repeat = client.post("/v1/referrals", json=BODY, headers={**headers, "Idempotency-Key": "k-1"})
    other = client.post("/v1/referrals", json=BODY, headers={**headers, "Idempotency-Key": "k-2"})
    assert (first.status_code, repeat.status_code, other.status_code) == (201, 200, 201)
    assert repeat.json() == first.json()
    assert other.json()["id"] != first.json()["id"]
    assert first.headers["Location"] == f"/v1/referrals/{first.json()['id']}"
    assert referrals_submitted(app) == 2


def test_a_key_reused_for_different_content_is_refused_and_changes_nothing(
    client: TestClient, app: Hub
) -> None:
    headers = {**bearer(app, INSPECTOR), "Idempotency-Key": "k-1"}
    client.post("/v1/referrals", json=BODY, headers=headers)
    before = app.store.recorder.max_notification_id()
    changed = referral_content(concern__description="a different concern").model_dump(mode="json")
    body = assert_problem(client.post("/v1/referrals", json=changed, headers=headers), 422, "idempotency-key-reused")
    assert body["field"] == "Idempotency-Key"
    assert app.store.recorder.max_notification_id() == before


@pytest.mark.parametrize(
    ("content", "status", "slug", "field"),
    [
        (b'{"referrer": {"name": "x"}, "child": ', 400, "malformed-json", None),
        ({**BODY, "child": {k: v for k, v in BODY["child"].items() if k != "city"}}, 422, "validation-error", "child.city"),
        ({**BODY, "concern": {**BODY["concern"], "category": "witchcraft"}}, 422, "validation-error", "concern.category"),
        ({**BODY, "surprise": 1}, 422, "validation-error", "surprise"),
        ({**BODY, "recipient_agency": "cam-nowhere"}, 422, "unknown-agency", "recipient_agency"),
        ({**BODY, "child_id": "3f6c1f7e-0000-4000-8000-000000000000"}, 422, "unknown-child", "child_id"),
        (
            {**BODY, "child": {**BODY["child"], "date_of_birth": "2026-02-30", "stated_age": None}},
            422, "validation-error", "child.date_of_birth",
        ),
    ],
    ids=[
        "malformed-json", "missing-city", "unknown-category", "unknown-field", "unknown-agency", "unknown-child",
        "impossible-date",
    ],
)
def test_bad_submissions_get_a_specific_problem_and_leave_the_store_unchanged(
    client: TestClient, app: Hub, content: object, status: int, slug: str, field: str | None
) -> None:
    headers = {**bearer(app, INSPECTOR), "Content-Type": "application/json"}
    before = app.store.recorder.max_notification_id()
    if isinstance(content, bytes):
        response = client.post("/v1/referrals", content=content, headers=headers)
    else:
        response = client.post("/v1/referrals", json=content, headers=headers)
    body = assert_problem(response, status, slug)
    if field is not None:
        assert body["field"] == field
        assert field in body["detail"] or slug != "validation-error"
    assert app.store.recorder.max_notification_id() == before


def test_an_illegal_transition_is_a_409_naming_state_and_command(client: TestClient, app: Hub) -> None:
    referral = client.post("/v1/referrals", json=BODY, headers=bearer(app, INSPECTOR)).json()
    manager = bearer(app, MANAGER)
    before = app.store.recorder.max_notification_id()
    response = client.post(f"/v1/referrals/{referral['id']}/accept", headers=manager)
    body = assert_problem(response, 409, "illegal-transition")
    assert (body["state"], body["command"]) == ("submitted", "accept")
    assert "submitted" in body["detail"] and "accept" in body["detail"]
    assert app.store.recorder.max_notification_id() == before


def test_redirect_to_an_unknown_agency_names_the_field(client: TestClient, app: Hub) -> None:
    referral = client.post("/v1/referrals", json=BODY, headers=bearer(app, INSPECTOR)).json()
    manager = bearer(app, MANAGER)
    before = app.store.recorder.max_notification_id()
    response = client.post(
        f"/v1/referrals/{referral['id']}/redirect",
        json={"to_agency": "gta-atlantis", "reason": "under 3"},
        headers=manager,
    )
    assert assert_problem(response, 422, "unknown-agency")["field"] == "to_agency"
    assert app.store.recorder.max_notification_id() == before


def test_requests_without_a_valid_token_are_401(client: TestClient) -> None:
    missing = client.post("/v1/referrals", json=BODY)
    forged = client.post("/v1/referrals", json=BODY, headers={"Authorization": "Bearer hub_not-a-real-token"})
    for response in (missing, forged):
        assert_problem(response, 401, "unauthenticated")
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_role_the_policy_does_not_allow_is_403(client: TestClient, app: Hub) -> None:
    referral = client.post("/v1/referrals", json=BODY, headers=bearer(app, INSPECTOR)).json()
    psychologist = bearer(app, SCHOOL_PSYCHOLOGIST)
    before = app.store.recorder.max_notification_id()
    response = client.post(f"/v1/referrals/{referral['id']}/acknowledge", json={}, headers=psychologist)
    assert assert_problem(response, 403, "forbidden")["command"] == "referral.acknowledge"
    assert app.store.recorder.max_notification_id() == before


def test_an_agency_outside_the_referral_cannot_tell_that_it_exists(client: TestClient, app: Hub) -> None:
    referral = client.post("/v1/referrals", json=BODY, headers=bearer(app, INSPECTOR)).json()
    hidden = client.get(f"/v1/referrals/{referral['id']}", headers=bearer(app, OTHER_CENTRE))
    absent = client.get("/v1/referrals/3f6c1f7e-0000-4000-8000-000000000000", headers=bearer(app, OTHER_CENTRE))
    assert_problem(hidden, 404, "not-found")
    assert hidden.json()["detail"].replace(referral["id"], "ID") == absent.json()["detail"].replace(
        "3f6c1f7e-0000-4000-8000-000000000000", "ID"
    )


def test_the_recipient_reads_the_referral_and_the_referrer_only_its_answer(client: TestClient, app: Hub) -> None:
    referral = client.post("/v1/referrals", json=BODY, headers=bearer(app, INSPECTOR)).json()
    received = client.get(f"/v1/referrals/{referral['id']}", headers=bearer(app, MANAGER))
    assert received.status_code == 200
    assert received.json()["content"]["child"]["given_name"] == "Aziz"
    sent = client.get(f"/v1/referrals/{referral['id']}", headers=bearer(app, INSPECTOR))
    assert sent.status_code == 200
    assert sent.json() == referral  # the submission's answer showed no more than this either
    assert set(sent.json()) == {
        "id", "state", "submitted_at", "updated_at", "referrer_agency", "recipient_agency", "child_id",
        "decline_reasons", "redirected_to", "outcome_reason", "assessment_conclusion", "notices",
    }
