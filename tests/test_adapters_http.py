"""Agency messages over HTTP (POST /v1/adapters/{name}/messages): ids back, repeats, problem+json naming the field."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.api_support import assert_problem, bearer, post_in_parallel, referrals_submitted
from tests.builders import (
    GTA_OFFICER,
    INSPECTOR,
    MANAGER,
    OMBUDSMAN_MONITOR,
    SCHOOL_PSYCHOLOGIST,
    SPECIAL_SCHOOL,
    UNICEF,
)
from tests.scenario import open_case, store_position
from tests.test_adapters import sample


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def post(client: TestClient, token: dict[str, str], adapter: str, body: Any, message_id: str | None) -> httpx.Response:
    """``token``: the caller's bearer header, issued beforehand (issuing one is an event in the store)."""
    headers = dict(token)
    if message_id is not None:
        headers["Message-Id"] = message_id
    if isinstance(body, bytes):
        return client.post(f"/v1/adapters/{adapter}/messages", content=body,
                           headers={**headers, "Content-Type": "application/json"})
    return client.post(f"/v1/adapters/{adapter}/messages", json=body, headers=headers)


def test_a_message_is_applied_once_and_its_repeat_answers_the_same(client: TestClient, app: Hub) -> None:
    message = sample("ombudsman", "safeguarding_concern")
    monitor = bearer(app, OMBUDSMAN_MONITOR)
    first = post(client, monitor, "ombudsman", message, "MG-2026/07")
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["adapter"], body["message_type"], body["message_id"], body["repeat"]) == (
        "ombudsman", "safeguarding_concern", "MG-2026/07", False
    )
    assert [a["record_type"] for a in body["applied"]] == ["referral"] * 3
    before = store_position(app)
    repeat = post(client, monitor, "ombudsman", message, "MG-2026/07")
    assert repeat.status_code == 200 and repeat.headers["Idempotency-Replayed"] == "true"
    assert repeat.json() == {**body, "repeat": True}
    assert store_position(app) == before
    for applied in body["applied"]:
        seen = client.get(f"/v1/referrals/{applied['record_id']}", headers=monitor)
        assert seen.status_code == 200 and seen.json()["recipient_agency"] == "cam-almaty"


def test_a_placement_decision_is_recorded_on_the_case(client: TestClient, app: Hub) -> None:
    case = open_case(app)
    message = sample("guardianship", "placement_decision")
    message["case_id"], message["child_id"] = str(case.id), str(case.child_id)
    response = post(client, bearer(app, GTA_OFFICER), "guardianship", message, "GTA-218")
    assert response.status_code == 201, response.text
    assert response.json()["applied"] == [
        {"command": "record_placement", "record_type": "case", "record_id": str(case.id), "child_id": str(case.child_id)}
    ]
    assert app.cases.case_for(MANAGER, case.id).placement == "alternative_care_family_based"


def test_five_parallel_deliveries_of_one_message_apply_it_once(app: Hub) -> None:
    headers = {**bearer(app, OMBUDSMAN_MONITOR), "Message-Id": "MG-2026/09"}
    message = sample("ombudsman", "safeguarding_concern")
    responses = post_in_parallel(app, "/v1/adapters/ombudsman/messages", message, headers)

    assert sorted(r.status_code for r in responses) == [200, 200, 200, 200, 201]
    assert len({str(r.json()["applied"]) for r in responses}) == 1
    assert referrals_submitted(app) == 3


def with_(adapter: str, name: str, **changes: Any) -> dict[str, Any]:
    return {**sample(adapter, name), **changes}


@pytest.mark.parametrize(
    ("actor", "adapter", "body", "message_id", "status", "reason", "field"),
    [
        (INSPECTOR, "police", with_("police", "placement_protocol", surprise=1), "m-1", 422, "unknown-field", "surprise"),
        (INSPECTOR, "police", with_("police", "placement_protocol", found_at=20260301), "m-1", 422, "wrong-type",
         "found_at"),
        (SCHOOL_PSYCHOLOGIST, "schools", with_("schools", "concern_report_neglect", reported_on="2026-02-31"), "m-1",
         422, "impossible-date", "reported_on"),
        (SCHOOL_PSYCHOLOGIST, "schools", with_("schools", "concern_report_neglect", message_type="gossip"), "m-1",
         422, "unknown-message-type", "message_type"),
        (INSPECTOR, "police", b'{"message_type": "placement_protocol",', "m-1", 400, "malformed-json", None),
        (INSPECTOR, "police", sample("police", "placement_protocol"), None, 422, "validation-error", "Message-Id"),
        (SCHOOL_PSYCHOLOGIST, "police", sample("police", "placement_protocol"), "m-1", 403, "agency-not-allowed", None),
        (UNICEF, "ombudsman", sample("ombudsman", "child_complaint"), "m-1", 403, "forbidden", None),
        (OMBUDSMAN_MONITOR, "customs", {}, "m-1", 404, "unknown-adapter", "adapter"),
    ],
    ids=["unknown-field", "wrong-type", "impossible-date", "unknown-message-type", "malformed-json",
         "no-message-id", "wrong-agency-kind", "role-without-permission", "unknown-adapter"],
)
def test_a_refused_message_is_a_problem_naming_the_field_and_changes_nothing(
    client: TestClient, app: Hub, actor: Any, adapter: str, body: Any, message_id: str | None,
    status: int, reason: str, field: str | None,
) -> None:
    token = bearer(app, actor)
    before = store_position(app)
    problem = assert_problem(post(client, token, adapter, body, message_id), status, reason)
    if field is not None:
        assert problem["field"] == field
    assert store_position(app) == before


def test_a_case_of_another_child_is_a_422_naming_child_id(client: TestClient, app: Hub) -> None:
    case, other = open_case(app), open_case(app, child__given_name="Timur")
    message = sample("police", "removal_act")
    message["case_id"], message["child_id"] = str(case.id), str(other.child_id)
    token = bearer(app, INSPECTOR)
    before = store_position(app)
    problem = assert_problem(post(client, token, "police", message, "ACT-52"), 422, "child-mismatch")
    assert (problem["field"], problem["reason"], problem["command_index"]) == ("child_id", "child-mismatch", 0)
    assert store_position(app) == before


def test_the_facility_is_answered_exactly_as_for_a_referral_that_does_not_exist(
    client: TestClient, app: Hub
) -> None:
    sent = post(client, bearer(app, OMBUDSMAN_MONITOR), "ombudsman", sample("ombudsman", "safeguarding_concern"), "MG-1")
    facility = bearer(app, SPECIAL_SCHOOL)
    missing = uuid.uuid4()
    for applied in sent.json()["applied"]:
        concealed = client.get(f"/v1/referrals/{applied['record_id']}", headers=facility)
        absent = client.get(f"/v1/referrals/{missing}", headers=facility)
        assert concealed.status_code == absent.status_code == 404
        assert concealed.text.replace(applied["record_id"], "ID") == absent.text.replace(str(missing), "ID")


def test_each_adapter_documents_its_message_and_samples_in_openapi(app: Hub) -> None:
    spec = create_app(app).openapi()
    for name in ("police", "guardianship", "schools", "health", "ngo", "ombudsman"):
        operation = spec["paths"][f"/v1/adapters/{name}/messages"]["post"]
        content = operation["requestBody"]["content"]["application/json"]
        assert content["examples"] and "message_type" in str(content["schema"])
        assert "$ref" not in str(content["schema"]).replace("#/components/schemas/", "")
        assert {"200", "201", "400", "401", "403", "404", "422"} <= set(operation["responses"])
        assert operation["parameters"][0]["name"] == "Message-Id" and operation["parameters"][0]["required"]


def _changed(adapter: str, name: str, change: Any) -> dict[str, Any]:
    message = sample(adapter, name)
    change(message)
    return message


@pytest.mark.parametrize(
    ("actor", "adapter", "message", "reason", "field", "quoted"),
    [
        (INSPECTOR, "police",
         _changed("police", "placement_protocol", lambda m: m["child"].update(surname="Rakhimov\u202e")),
         "invalid-value", "child.surname", ["Rakhimov"]),
        (SCHOOL_PSYCHOLOGIST, "schools",
         _changed("schools", "concern_report_physical", lambda m: m["pupil"].update(date_of_birth="2013-04-03")),
         "child-mismatch", "pupil.iin", ["130402512345", "2013-04-0"]),
    ],
    ids=["odd-name", "iin-of-another-child"],
)
def test_a_refusal_names_the_field_and_never_quotes_the_personal_data_it_refuses(
    client: TestClient, app: Hub, actor: Any, adapter: str, message: dict[str, Any], reason: str,
    field: str, quoted: list[str],
) -> None:
    response = post(client, bearer(app, actor), adapter, message, "odd-1")
    assert assert_problem(response, 422, reason)["field"] == field
    assert not [value for value in quoted if value in response.text], response.text
    assert referrals_submitted(app) == 0
