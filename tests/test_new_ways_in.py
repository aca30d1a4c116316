"""New ways in (issue #15, docs/decisions/0043), over HTTP: a call to helpline 150 becomes a referral - the caller
perhaps anonymous, perhaps the child, with the child's own consent rules - and a child refers themself through a
school; a child who asks that the parents are not told keeps the family and the address from the bodies that do
not work with the child, until the centre acts on the child's safety."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from adapters.errors import AdapterError
from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind, City
from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.api_support import Desk, assert_problem
from tests.builders import ADMIN, GTA_OFFICER, MANAGER, NGO_COORDINATOR, SCHOOL_PSYCHOLOGIST
from tests.test_adapters import sample

HELPLINE = Actor("ngo-150", "coordinator", "a.tulegenova")


def register_helpline(app: Hub) -> None:
    app.directory.register_agency(ADMIN, "ngo-150", "Helpline 150 (Union of Crisis Centres)", BodyKind.NGO, City.ASTANA)


@pytest.fixture
def desks(app: Hub) -> Iterator[dict[str, Desk]]:
    register_helpline(app)
    with TestClient(create_app(app)) as client:
        people = {"helpline": HELPLINE, "manager": MANAGER, "ngo": NGO_COORDINATOR, "gta": GTA_OFFICER,
                  "school": SCHOOL_PSYCHOLOGIST}
        yield {name: Desk(client, app, actor) for name, actor in people.items()}


def call(desk: Desk, message: dict[str, Any], message_id: str, status: int = 201) -> Any:
    response = desk.client.post("/v1/adapters/helpline/messages", json=message,
                                headers={**desk.headers, "Message-Id": message_id})
    assert response.status_code == status, response.text
    return response.json()


def accepted(desks: dict[str, Desk], referral_id: str) -> str:
    desks["manager"].post(f"/v1/referrals/{referral_id}/acknowledge")
    return desks["manager"].post(f"/v1/referrals/{referral_id}/accept", status=201)["id"]


def test_a_child_who_calls_150_refers_herself_and_her_parents_are_not_told(desks: dict[str, Desk]) -> None:
    [applied] = call(desks["helpline"], sample("helpline", "call_record_child"), "150-2026-11873")["applied"]
    referral = desks["manager"].get(f"/v1/referrals/{applied['record_id']}")
    content = referral["content"]
    assert content["self_referral"] == {"through": "helpline", "keep_from_parents": True}
    assert content["consent"]["by"] == ["child"] and content["child"]["address"] == "Almaty, Tole bi 101, flat 8"
    assert content["referrer"]["name"] == "Aigerim Tulegenova" and "150" in content["referrer"]["professional_title"]
    assert referral["recipient_agency"] == "cam-almaty"

    case = f"/v1/cases/{accepted(desks, referral['id'])}"
    desks["manager"].post(f"{case}/intake-actions", {"action": "supporter_requested"})
    told = desks["ngo"].get(f"/v1/referrals/{referral['id']}")  # asked for an independent supporter (cam N08)
    assert told["content"]["child"]["given_name"] == "Madina" and "address" not in told["content"]["child"]

    # Once the centre reports an offence to the police, the wish yields: those who must act find the child.
    desks["manager"].post(f"{case}/intake-actions", {"action": "police_informed"})
    assert desks["ngo"].get(f"/v1/referrals/{referral['id']}")["content"]["child"]["address"]


def test_a_calling_child_who_did_not_agree_is_referred_only_at_immediate_risk(desks: dict[str, Desk]) -> None:
    message = {**sample("helpline", "call_record_child"), "child_agreed_to_referral": False}
    refused = call(desks["helpline"], message, "150-2026-20001", status=422)
    assert (refused["reason"], refused["field"]) == ("invalid-value", "child_agreed_to_referral")
    assert "Madina" not in str(refused)

    at_risk = {**message, "immediate_risk": True}
    [applied] = call(desks["helpline"], at_risk, "150-2026-20002")["applied"]
    content = desks["manager"].get(f"/v1/referrals/{applied['record_id']}")["content"]
    assert content["self_referral"] is None and content["concern"]["urgency"] == "emergency"
    assert content["consent"]["given"] is False


def test_an_anonymous_caller_stays_anonymous_and_only_an_ngo_runs_the_helpline(desks: dict[str, Desk]) -> None:
    [applied] = call(desks["helpline"], sample("helpline", "call_record_neighbour"), "150-2026-11874")["applied"]
    content = desks["manager"].get(f"/v1/referrals/{applied['record_id']}")["content"]
    assert content["referrer"] == {"name": "Aigerim Tulegenova", "member_of_public": False, "phone": None,
                                   "address": None,
                                   "professional_title": "counsellor, national helpline 150 (Union of Crisis Centres)"}
    assert "from the child's neighbour (anonymous)" in content["concern"]["description"]
    assert content["concern"]["urgency"] == "emergency" and content["self_referral"] is None

    named = sample("helpline", "call_record_neighbour")
    named["caller"] = {**named["caller"], "name": "R. Akhmetova"}
    assert call(desks["helpline"], named, "150-2026-11875", status=422)["field"] == "caller.name"
    school = call(desks["school"], sample("helpline", "call_record_neighbour"), "150-2026-11876", status=403)
    assert school["reason"] == "agency-not-allowed"


ZHANAR = {
    "referrer": {"name": "M. Kim", "professional_title": "school psychologist"},
    "child": {"given_name": "Zhanar", "stated_age": 15, "city": "almaty", "address": "Almaty, Abay 52, flat 3"},
    "parents": [{"name": "B. Zhanarova", "relationship": "mother", "phone": "+7 701 000 00 00"}],
    "concern": {"category": "psychological_violence", "description": "she came to me: her mother's partner"
                " threatens her every night"},
    "consent": {"given": True, "by": ["child"], "note": "Zhanar asked for help herself"},
    "self_referral": {"through": "school", "keep_from_parents": True},
}


def test_a_child_refers_herself_through_her_school_without_her_parents(desks: dict[str, Desk]) -> None:
    body = ZHANAR
    without_her = {**body, "consent": {"given": True, "by": ["parent"]}}
    refused = desks["school"].client.post("/v1/referrals", json=without_her, headers=desks["school"].headers)
    assert refused.status_code == 422 and "child" in refused.text

    referral = desks["school"].post("/v1/referrals", body, status=201)
    file = desks["manager"].get(f"/v1/referrals/{referral['id']}")["content"]
    assert file["parents"][0]["name"] == "B. Zhanarova" and file["self_referral"]["keep_from_parents"] is True
    case = f"/v1/cases/{accepted(desks, referral['id'])}"
    desks["manager"].post(f"{case}/intake-actions", {"action": "supporter_requested"})
    assert "address" not in desks["ngo"].get(f"/v1/referrals/{referral['id']}")["content"]["child"]


def test_the_child_withdraws_the_wish_through_her_school_and_is_found_from_then_on(
    app: Hub, desks: dict[str, Desk]
) -> None:
    school, manager, ngo = desks["school"], desks["manager"], desks["ngo"]
    referral = school.post("/v1/referrals", ZHANAR, status=201)
    path = f"/v1/referrals/{referral['id']}"
    case = f"/v1/cases/{accepted(desks, referral['id'])}"
    manager.post(f"{case}/intake-actions", {"action": "supporter_requested"})
    assert "address" not in ngo.get(path)["content"]["child"]

    # Only the body she came to records her change of mind: it is hers, not the centre's to lift.
    refused = manager.client.post(f"{path}/family-wish/withdraw", json={"note": "x"}, headers=manager.headers)
    assert assert_problem(refused, 403, "rule-violation")["rule"] == "referrer-only"
    school.post(f"{path}/family-wish/withdraw", {"note": "Zhanar says her mother may be told now; the partner left"})
    again = school.client.post(f"{path}/family-wish/withdraw", json={"note": "again"}, headers=school.headers)
    assert assert_problem(again, 409, "rule-violation")["rule"] == "family-wish-withdrawn"
    withdrawn = manager.get(path)["family_wish_withdrawn"]
    assert withdrawn["by_agency"] == "school-almaty-12" and "partner left" in withdrawn["note"]

    # From then on the supporter's NGO finds where she lives; what it read before stays as it was read.
    assert ngo.get(path)["content"]["child"]["address"] == "Almaty, Abay 52, flat 3"
    app.views.current()
    reads = [r for r in app.views.store.reads("record_type = ?", ["referral"]) if r.user == NGO_COORDINATOR.user]
    assert [("content.child.address" in r.fields) for r in reads] == [False, True]

    # A referral that never asked it has no wish to withdraw.
    plain = school.post("/v1/referrals", {**ZHANAR, "self_referral": None, "consent": {"given": True, "by": ["parent"]}},
                        status=201)
    none = school.client.post(f"/v1/referrals/{plain['id']}/family-wish/withdraw", json={"note": "x"},
                              headers=school.headers)
    assert assert_problem(none, 409, "rule-violation")["rule"] == "no-family-wish"


def test_a_child_who_came_to_an_ngo_is_referred_on_its_form_as_her_own_request(app: Hub) -> None:
    form = sample("ngo", "referral_form_exploitation")
    form["self_referral"] = {"keep_from_parents": True}
    form["consent"] = {**form["consent"], "child_agreed": False}
    with pytest.raises(AdapterError) as refused:
        app.messages.receive(NGO_COORDINATOR, "ngo", form, "RDN-self-1")
    assert refused.value.field.startswith("referral.") and "child" in refused.value.detail

    form["consent"]["child_agreed"] = True
    [applied] = app.messages.receive(NGO_COORDINATOR, "ngo", form, "RDN-self-2").applied
    content = app.referrals.referral_for(MANAGER, applied.record_id).content
    assert content.self_referral is not None and content.self_referral.through == "ngo"
    assert content.self_referral.keep_from_parents
