"""Odd input over HTTP (docs/decisions/0023): refused field by field, never quoted back, nothing stored.

Each test runs on both stores (the ``app`` fixture, whose clock is frozen at 2 March 2026).
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from hub import clock
from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.api_support import assert_problem, bearer, referrals_submitted
from tests.builders import INSPECTOR, MANAGER, referral_content
from tests.scenario import open_case, store_position

BODY = referral_content().model_dump(mode="json")
SECRET = "Zhanbolat"  # a name that must never come back in a refusal


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def body_with(path: str, value: Any) -> dict[str, Any]:
    """The test referral with the field at the dotted ``path`` set to ``value``."""
    body = copy.deepcopy(BODY)
    *parents, last = path.split(".")
    target: Any = body
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[last] = value
    return body


def submit(client: TestClient, app: Hub, body: dict[str, Any]) -> Any:
    return client.post("/v1/referrals", json=body, headers=bearer(app, INSPECTOR))


ODD = {
    "nul-in-a-description": ("concern.description", f"{SECRET} was found at the station\x00 at night"),
    "escape-in-a-note": ("consent.note", f"{SECRET} agreed \x1b[31m"),
    "zero-width-name": ("child.given_name", "\u200b\u200c\u2060"),
    "override-in-a-name": ("child.family_name", f"{SECRET}\u202evokirak"),
    "isolate-in-a-parent-s-name": ("parents.0.name", f"\u2067{SECRET}\u2069 Karimov"),
    "embedding-in-an-alias": ("child.aliases", [f"\u202b{SECRET}"]),
    "line-break-in-a-name": ("referrer.name", f"{SECRET}\nOmarov"),
    "age-as-a-boolean": ("child.stated_age", True),
    "boolean-as-a-number": ("concern.evidence_of_harm", 1),
    "born-tomorrow": ("child.date_of_birth", "2026-03-03"),
    "born-before-1900": ("child.date_of_birth", "1899-12-31"),
    "date-of-birth-as-a-number": ("child.date_of_birth", 0),
}


@pytest.mark.parametrize("case", sorted(ODD))
def test_odd_input_is_a_422_naming_the_field_that_quotes_nothing_and_stores_nothing(
    client: TestClient, app: Hub, case: str
) -> None:
    path, value = ODD[case]
    content = body_with(path, value)
    if path == "child.date_of_birth":
        del content["child"]["stated_age"]
    before = store_position(app)
    response = submit(client, app, content)
    problem = assert_problem(response, 422, "validation-error")
    field = path if not isinstance(value, list) else f"{path}.0"
    assert problem["field"] == field, problem
    assert [e["field"] for e in problem["errors"]] == [field]
    assert SECRET not in response.text
    assert referrals_submitted(app) == 0
    assert store_position(app) == before + 1  # the token, and nothing else


@pytest.mark.parametrize(
    ("field", "value"),
    [("date_of_birth", "2008-03-02"), ("date_of_birth", "2001-06-15"), ("stated_age", 18)],
    ids=["18-today", "born-2001", "stated-18"],
)
def test_an_adult_is_refused_by_the_rule_whichever_way_the_age_is_given(
    client: TestClient, app: Hub, field: str, value: Any
) -> None:
    content = body_with(f"child.{field}", value)
    if field == "date_of_birth":
        del content["child"]["stated_age"]
    problem = assert_problem(submit(client, app, content), 422, "validation-error")
    assert (problem["field"], problem["rule"]) == (f"child.{field}", "L58-adult")
    assert "L58" in problem["errors"][0]["message"]
    assert referrals_submitted(app) == 0


def test_a_child_of_17_is_referred_and_stays_readable_after_turning_18(
    client: TestClient, app: Hub, frozen: clock.FrozenClock
) -> None:
    content = body_with("child.date_of_birth", "2008-03-03")  # 18 tomorrow
    del content["child"]["stated_age"]
    response = submit(client, app, content)
    assert response.status_code == 201, response.text
    referral_id = UUID(response.json()["id"])

    frozen.advance(timedelta(days=2))
    assert app.referrals.referral_for(MANAGER, referral_id).content.child.date_of_birth.isoformat() == "2008-03-03"
    assert client.get(f"/v1/referrals/{referral_id}", headers=bearer(app, MANAGER)).status_code == 200


def test_text_is_stored_in_nfc_and_free_text_keeps_its_lines(client: TestClient, app: Hub) -> None:
    decomposed = unicodedata.normalize("NFD", "Айдо́с Ерлано́вич")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    content = body_with("child.given_name", decomposed)
    content["concern"]["description"] = "Found at the station.\r\nSays:\tno documents."
    response = submit(client, app, content)
    assert response.status_code == 201, response.text
    stored = app.referrals.referral_for(INSPECTOR, UUID(response.json()["id"])).content
    assert stored.child.given_name == unicodedata.normalize("NFC", decomposed)
    assert stored.concern.description == "Found at the station.\nSays:\tno documents."


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("intake-actions", {"action": "gta_notified", "note": f"{SECRET}\x07"}, "note"),
        ("follow-ups", {"month": True, "concern": False, "notes": "seen at home"}, "month"),
        ("social-worker", {"social_worker": "\u202ed.seitkali", "evidence_of_harm": False}, "social_worker"),
        ("legal-bases", {"recipient": "Police", "basis": "CPC art. 123", "reference": "R-1"}, "recipient"),
    ],
    ids=["bell-in-a-note", "month-as-a-boolean", "override-in-a-social-worker", "code-with-capitals"],
)
def test_case_commands_hold_to_the_same_kinds(
    client: TestClient, app: Hub, path: str, body: dict[str, Any], field: str
) -> None:
    case = open_case(app)
    headers = bearer(app, MANAGER)
    before = store_position(app)
    response = client.post(f"/v1/cases/{case.id}/{path}", json=body, headers=headers)
    assert assert_problem(response, 422, "validation-error")["field"] == field
    assert SECRET not in response.text
    assert store_position(app) == before


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("age-determination", {"date_of_birth": "2030-01-01", "method": "x-ray"}, "date_of_birth"),
        ("date-of-birth", {"date_of_birth": "1850-05-05", "source": "passport"}, "date_of_birth"),
        ("aliases", {"alias": "\u200b"}, "alias"),
    ],
    ids=["determined-in-the-future", "documented-before-1900", "invisible-alias"],
)
def test_the_child_s_record_holds_to_the_same_kinds(
    client: TestClient, app: Hub, path: str, body: dict[str, Any], field: str
) -> None:
    case = open_case(app)
    headers = bearer(app, MANAGER)
    before = store_position(app)
    response = client.post(f"/v1/children/{case.child_id}/{path}", json=body, headers=headers)
    assert assert_problem(response, 422, "validation-error")["field"] == field
    assert store_position(app) == before
