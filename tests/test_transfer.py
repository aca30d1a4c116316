"""A child moving from Almaty to East Kazakhstan mid-case (issue #15, docs/decisions/0039), over HTTP, each centre at
its own desk: the Almaty centre asks, East Kazakhstan's centre finds the request in its inbox on a clock, reads what
it needs to decide and accepts; from then on it works the case with the whole file, and Almaty keeps only that it
handed the case over. A decline leaves the case where it was and tells the sender; the clocks run on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import InitialAssessmentOutcome
from hub.aggregates.vocabulary import BodyKind
from hub.api.app import create_app
from hub.bootstrap import Hub
from hub.deadlines.clocks import case_clocks
from hub.deadlines.table import packaged_table_text, parse_table
from tests.api_support import Desk
from tests.builders import ADMIN, MANAGER, SCHOOL_PSYCHOLOGIST, SOCIAL_WORKER
from tests.scenario import open_case

EAST = "630000000"  # East Kazakhstan Region (hub/geography/units.yaml)
OSKEMEN = "631000000"  # its city of Oskemen
EAST_MANAGER = Actor("cam-east-kz", "manager", "b.omarova")
EAST_GTA = Actor("gta-east-kz", "officer", "s.kasymova")

ADIL = {
    "referrer": {"name": "M. Kim", "professional_title": "school psychologist"},
    "child": {"given_name": "Adil", "family_name": "Serikov", "stated_age": 11, "city": "almaty"},
    "concern": {"category": "neglect", "description": "left alone for days; the mother works away"},
    "consent": {"given": False},
}


def _register_east(app: Hub) -> None:
    app.directory.register_agency(ADMIN, "cam-east-kz", "Centre of Adaptation of Minors, East Kazakhstan", BodyKind.CAM, EAST)
    app.directory.register_agency(ADMIN, "gta-east-kz", "Guardianship and Tutelage Authority, East Kazakhstan",
                                  BodyKind.GTA, EAST)


@pytest.fixture
def desks(app: Hub) -> Iterator[dict[str, Desk]]:
    _register_east(app)
    with TestClient(create_app(app)) as client:
        people = {"school": SCHOOL_PSYCHOLOGIST, "almaty": MANAGER, "almaty_worker": SOCIAL_WORKER,
                  "east": EAST_MANAGER, "east_gta": EAST_GTA}
        yield {name: Desk(client, app, actor) for name, actor in people.items()}


def _case_in_almaty(desks: dict[str, Desk]) -> tuple[dict[str, Any], str]:
    referral = desks["school"].post("/v1/referrals", ADIL, status=201)
    desks["almaty"].post(f"/v1/referrals/{referral['id']}/acknowledge")
    case_id = desks["almaty"].post(f"/v1/referrals/{referral['id']}/accept", status=201)["id"]
    return referral, case_id


def test_a_child_moving_from_almaty_to_east_kazakhstan_is_handed_over_and_worked_there(
    app: Hub, frozen: Any, desks: dict[str, Desk]
) -> None:
    almaty, east = desks["almaty"], desks["east"]
    referral, case_id = _case_in_almaty(desks)
    case = f"/v1/cases/{case_id}"
    almaty.post(f"{case}/intake-actions", {"action": "referrer_informed"})
    desks["east_gta"].get(f"/v1/referrals/{referral['id']}", status=404)  # not East Kazakhstan's child yet
    frozen.advance(timedelta(hours=3))

    asked = almaty.post(f"{case}/transfer", {"to_agency": "cam-east-kz", "unit": OSKEMEN,
                                             "reason": "the family moved to Oskemen with the mother"})
    assert asked["managing_agency"] == "cam-almaty"
    assert [(t["to_agency"], t["state"]) for t in asked["transfers"]] == [("cam-east-kz", "pending")]

    # East Kazakhstan's centre finds the request in its inbox, on a clock, and reads what it needs to decide.
    [item] = east.items("notices")
    notice = east.get(f"/v1/notices/{item['item_id']}")
    assert notice["rule"] == "hub:TRANSFER" and notice["ack_due_at"] and notice["answer_due_at"]
    pending = east.get(case)
    assert pending["transfers"][0]["reason"] == "the family moved to Oskemen with the mother"
    assert "intake_actions" not in pending
    east.refused(f"{case}/intake-actions", {"action": "gta_notified"}, 404, "not-found")  # not its case yet

    taken = east.post(f"{case}/transfer/accept")
    assert taken["managing_agency"] == "cam-east-kz" and taken["transfers"][0]["state"] == "accepted"
    assert east.get(f"/v1/notices/{item['item_id']}")["state"] == "answered"
    assert east.items("notices") == []

    # East Kazakhstan's views caught up: the whole file for its centre, the child's new unit for its GTA.
    file = east.get(case)
    assert "referrer_informed" in file["intake_actions"]
    assert east.get(f"/v1/children/{file['child_id']}")["identity"]["city"] == OSKEMEN
    assert east.get(f"/v1/referrals/{referral['id']}")["content"]["child"]["given_name"] == "Adil"
    assert desks["east_gta"].get(f"/v1/referrals/{referral['id']}")["content"]["child"]["given_name"] == "Adil"
    # ... and it works the case: the intake goes on, the social worker is assigned.
    east.post(f"{case}/intake-actions", {"action": "gta_notified"})
    assert east.post(f"{case}/social-worker", {"social_worker": "A. Bekova", "evidence_of_harm": False})[
        "state"] == "initial_assessment"

    # Almaty sees that it handed the case over, and where it lies - no longer the file, nor the child.
    handed = almaty.get(case)
    assert handed["managing_agency"] == "cam-east-kz" and handed["state"] == "initial_assessment"
    assert not {"intake_actions", "social_worker", "transfers"} & set(handed)
    kept = almaty.get(f"/v1/referrals/{referral['id']}")
    assert kept["content"] == {"child": {"city": "750000000"}} and "concern" not in kept["content"]  # metadata only
    almaty.get(f"/v1/children/{file['child_id']}", status=404)
    almaty.refused(f"{case}/intake-actions", {"action": "supporter_requested"}, 404, "not-found")
    desks["almaty_worker"].refused(f"{case}/emergency", {"description": "x"}, 404, "not-found")
    assert almaty.get(f"/v1/notices/{item['item_id']}")["answer"] == "accept"  # its request, answered
    assert [i for i in almaty.items("cases") if i["item_id"] == case_id] == []
    assert [i["item_id"] for i in east.items("cases")] == [case_id]


def test_the_clocks_carry_over_a_move_the_24_hour_intake_is_not_reset(app: Hub, frozen: Any, desks: dict[str, Desk]) -> None:
    _, case_id = _case_in_almaty(desks)
    submitted = frozen.now()
    frozen.advance(timedelta(hours=20))
    desks["almaty"].post(f"/v1/cases/{case_id}/transfer", {"to_agency": "cam-east-kz", "unit": EAST, "reason": "moved"})
    desks["east"].post(f"/v1/cases/{case_id}/transfer/accept")
    [item] = desks["east"].items("cases")
    assert item["deadline"]["id"] == "D03"
    assert datetime.fromisoformat(item["deadline"]["due_at"]) == submitted + timedelta(hours=24)  # not 20 h + 24 h

    # A deployment that restarts clocks on a move (deadlines.yaml on_transfer: restart) counts from the handover.
    case = app.aggregates.load(Case, UUID(case_id), "case")
    with app.dossiers.dossier(case.child_id) as dossier:
        referrals = list(dossier.referrals)
    restarting = parse_table(packaged_table_text().replace("on_transfer: carry_over", "on_transfer: restart"))
    carried = {c.id: c for c in case_clocks(case, referrals, frozen.now())}
    restarted = {c.id: c for c in case_clocks(case, referrals, frozen.now(), table=restarting)}
    assert carried["D03"].due_at == submitted + timedelta(hours=24)
    assert restarted["D03"].due_at == frozen.now() + timedelta(hours=24)


def test_a_declined_transfer_keeps_the_case_where_it_was_and_tells_the_sender(app: Hub, desks: dict[str, Desk]) -> None:
    almaty, east = desks["almaty"], desks["east"]
    referral, case_id = _case_in_almaty(desks)
    case = f"/v1/cases/{case_id}"
    almaty.post(f"{case}/transfer", {"to_agency": "cam-east-kz", "unit": OSKEMEN, "reason": "moved to Oskemen"})
    east.refused(f"{case}/transfer/decline", {"reasons": ["  "]}, 422, "validation-error")
    declined = east.post(f"{case}/transfer/decline", {"reasons": ["the family is not at that address"]})
    assert declined["managing_agency"] == "cam-almaty"
    assert declined["transfers"][0]["state"] == "declined"

    file = almaty.get(case)
    assert file["transfers"][0]["decline_reasons"] == ["the family is not at that address"]
    told = [almaty.get(f"/v1/notices/{i['item_id']}") for i in almaty.items("notices")]
    assert [n["rule"] for n in told] == ["hub:REFUSED"]  # a refusal is never silent
    almaty.post(f"{case}/intake-actions", {"action": "referrer_informed"})  # still Almaty's case
    east.refused(f"{case}/intake-actions", {"action": "gta_notified"}, 404, "not-found")
    east.refused(f"{case}/transfer/accept", {}, 409, "rule-violation")  # nothing is asked of it any more
    desks["east_gta"].get(f"/v1/referrals/{referral['id']}", status=404)  # the child did not move
    # Asked again once the first is answered; a second request while one is pending is refused.
    almaty.post(f"{case}/transfer", {"to_agency": "cam-east-kz", "unit": EAST, "reason": "found in the region"})
    almaty.refused(f"{case}/transfer", {"to_agency": "cam-east-kz", "unit": EAST, "reason": "again"}, 409,
                   "rule-violation")


@pytest.mark.parametrize(("body", "status", "slug"), [
    ({"to_agency": "cam-almaty", "unit": "almaty", "reason": "x"}, 422, "rule-violation"),  # the same centre
    ({"to_agency": "gta-east-kz", "unit": EAST, "reason": "x"}, 422, "transfer-not-a-centre"),
    ({"to_agency": "nobody-kz", "unit": EAST, "reason": "x"}, 422, "transfer-not-a-centre"),
    ({"to_agency": "csc-astana", "unit": OSKEMEN, "reason": "x"}, 422, "transfer-outside-its-area"),
    ({"to_agency": "cam-east-kz", "unit": "999999999", "reason": "x"}, 422, "invalid-input"),
    ({"to_agency": "cam-east-kz", "unit": EAST, "reason": " "}, 422, "validation-error"),
    ({"to_agency": "cam-east-kz", "unit": EAST}, 422, "validation-error"),
])
def test_a_transfer_goes_only_to_another_centre_of_the_childs_new_area(
    app: Hub, desks: dict[str, Desk], body: dict[str, Any], status: int, slug: str
) -> None:
    _, case_id = _case_in_almaty(desks)
    desks["almaty"].refused(f"/v1/cases/{case_id}/transfer", body, status, slug)
    assert desks["east"].items("notices") == []


def test_only_the_managing_centres_manager_asks_and_never_on_a_closed_case(app: Hub, desks: dict[str, Desk]) -> None:
    _, case_id = _case_in_almaty(desks)
    body = {"to_agency": "cam-east-kz", "unit": EAST, "reason": "moved"}
    desks["almaty_worker"].refused(f"/v1/cases/{case_id}/transfer", body, 403, "forbidden")
    desks["east"].refused(f"/v1/cases/{case_id}/transfer", body, 404, "not-found")
    desks["east"].refused(f"/v1/cases/{case_id}/transfer/accept", {}, 404, "not-found")  # nothing was asked of it
    closed = open_case(app)
    app.cases.assign_social_worker(MANAGER, closed.id, "D. Seitkali", False)
    app.cases.conclude_initial_assessment(MANAGER, closed.id, InitialAssessmentOutcome.NO_FURTHER_ACTION, "fine", None)
    desks["almaty"].refused(f"/v1/cases/{closed.id}/transfer", body, 409, "illegal-transition")


def test_a_transfer_request_left_unanswered_escalates_once_to_both_centres(
    app: Hub, frozen: Any, desks: dict[str, Desk]
) -> None:
    _, case_id = _case_in_almaty(desks)
    desks["almaty"].post(f"/v1/cases/{case_id}/transfer", {"to_agency": "cam-east-kz", "unit": EAST, "reason": "moved"})
    [notice] = desks["east"].items("notices")
    desks["east"].post(f"/v1/notices/{notice['item_id']}/acknowledge")
    frozen.advance(timedelta(days=7))  # three working days gone, whatever the weekday and holidays
    raised = [e for e in app.escalation.escalate_overdue() if str(e.subject_id) == notice["item_id"]]
    assert [e.deadline_id for e in raised] == ["hub:TRANSFER"] and set(raised[0].notify) == {"cam-east-kz", "cam-almaty"}
    assert app.escalation.escalate_overdue() == []  # raised once
    assert [i["item_id"] for i in desks["east"].items("overdue")] == [notice["item_id"]]  # its own, overdue
    told = [i for i in desks["almaty"].items("escalated") if i["awaiting"] == "cam-east-kz"]
    assert [i["item_type"] for i in told] == ["escalation"]  # the sender is told East Kazakhstan's silence
