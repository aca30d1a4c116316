"""The people of a case over HTTP (issue #15, docs/decisions/0042): a social worker reassigned with the approval of
the supervisor of her team, the supervisor's inbox of its team's cases, a risk level shown and sorted in the inbox,
and parental-rights proceedings that tell the GTA and the prosecutor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.aggregates.case_people import RiskLevel
from hub.aggregates.vocabulary import BodyKind, City
from hub.api.app import create_app
from hub.bootstrap import Hub
from hub.crypto.row_seal import RowSealer
from hub.inbox.store import TABLES, InboxStore
from hub.projections.sql import Sql
from tests.api_support import Desk
from tests.builders import ADMIN, GTA_OFFICER, MANAGER, PROSECUTOR, SCHOOL_PSYCHOLOGIST, SOCIAL_WORKER
from tests.scenario import open_case

SUPERVISOR = Actor("cam-almaty", "supervisor", "g.mukanova")
OTHER_WORKER = Actor("cam-almaty", "social_worker", "t.abenov")
DIRECTOR = Actor("cam-almaty", "director", "s.akhmetov")
JUDGE = Actor("court-almaty", "judge", "k.omarova")
INBOX_BEFORE_0042 = """CREATE TABLE {hub_inbox} (
    agency TEXT NOT NULL, item_type TEXT NOT NULL, item_id TEXT NOT NULL, child_id TEXT NOT NULL,
    child_name TEXT, state TEXT NOT NULL, social_worker TEXT, awaiting TEXT, deadline_id TEXT,
    deadline_title TEXT, deadline_rule TEXT, due_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (agency, item_type, item_id))"""


def child(name: str) -> dict[str, Any]:
    return {
        "referrer": {"name": "M. Kim", "professional_title": "school psychologist"},
        "child": {"given_name": name, "family_name": "Serikova", "stated_age": 12, "city": "almaty"},
        "concern": {"category": "neglect", "description": "comes to school hungry"},
        "consent": {"given": False},
    }


@pytest.fixture
def desks(app: Hub) -> Iterator[dict[str, Desk]]:
    app.directory.register_agency(ADMIN, "court-almaty", "Specialised Inter-District Court for Minors, Almaty",
                                  BodyKind.COURT, City.ALMATY)
    with TestClient(create_app(app)) as client:
        people = {"school": SCHOOL_PSYCHOLOGIST, "manager": MANAGER, "worker": SOCIAL_WORKER, "other": OTHER_WORKER,
                  "supervisor": SUPERVISOR, "director": DIRECTOR, "gta": GTA_OFFICER, "prosecutor": PROSECUTOR,
                  "judge": JUDGE}
        yield {name: Desk(client, app, actor) for name, actor in people.items()}


def worked_case(desks: dict[str, Desk], name: str = "Aruzhan", worker: str = "d.seitkali") -> str:
    referral = desks["school"].post("/v1/referrals", child(name), status=201)
    desks["manager"].post(f"/v1/referrals/{referral['id']}/acknowledge")
    case_id = desks["manager"].post(f"/v1/referrals/{referral['id']}/accept", status=201)["id"]
    desks["manager"].post(f"/v1/cases/{case_id}/social-worker", {"social_worker": worker, "evidence_of_harm": False})
    return case_id


def rules_told(desk: Desk) -> set[str]:
    return {desk.get(f"/v1/notices/{item['item_id']}")["rule"] for item in desk.items("notices")}


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [i["item_id"] for i in items]


def test_a_worker_asks_to_hand_her_case_on_and_her_supervisor_approves(desks: dict[str, Desk]) -> None:
    case_id = worked_case(desks)
    case = f"/v1/cases/{case_id}"
    desks["director"].put("/v1/teams/g.mukanova", {"members": ["d.seitkali", "t.abenov"]})
    assert ids(desks["supervisor"].items("team")) == [case_id]
    assert ids(desks["worker"].items("mine")) == [case_id]

    asked = desks["worker"].post(f"{case}/reassignment", {"to_worker": "t.abenov", "reason": "going on leave"})
    assert asked["social_worker"] == "d.seitkali"
    assert [(r["to_worker"], r["state"]) for r in asked["reassignments"]] == [("t.abenov", "pending")]
    desks["worker"].refused(f"{case}/reassignment/approve", {}, 403, "forbidden")  # a worker does not allocate
    desks["other"].refused(f"{case}/reassignment", {"to_worker": "a.bek", "reason": "x"}, 409, "rule-violation")

    approved = desks["supervisor"].post(f"{case}/reassignment/approve")
    assert approved["social_worker"] == "t.abenov" and approved["reassignments"][0]["answered_by"] == "g.mukanova"
    assert ids(desks["other"].items("mine")) == [case_id]
    assert desks["worker"].items("mine") == []
    # Both workers read the change in the case's timeline, with its reason.
    for desk in (desks["worker"], desks["other"]):
        timeline = desk.get(f"{case}/timeline")
        [requested] = [e for e in timeline if e["event"] == "ReassignmentRequested"]
        assert requested["details"]["reason"] == "going on leave" and requested["user"] == "d.seitkali"
        assert [e["user"] for e in timeline if e["event"] == "ReassignmentApproved"] == ["g.mukanova"]


def test_only_the_supervisor_of_the_workers_team_or_the_manager_answers(desks: dict[str, Desk]) -> None:
    case_id = worked_case(desks)
    case = f"/v1/cases/{case_id}"
    desks["manager"].put("/v1/teams/g.mukanova", {"members": ["t.abenov"]})
    assert desks["supervisor"].items("team") == []  # d.seitkali is not in its team

    desks["worker"].post(f"{case}/reassignment", {"to_worker": "t.abenov", "reason": "caseload"})
    desks["supervisor"].refused(f"{case}/reassignment/approve", {}, 403, "rule-violation")
    declined = desks["manager"].post(f"{case}/reassignment/decline", {"reasons": ["t.abenov is full"]})
    assert declined["social_worker"] == "d.seitkali" and declined["reassignments"][0]["state"] == "declined"
    desks["manager"].refused(f"{case}/reassignment/approve", {}, 409, "rule-violation")  # nothing pending

    # The manager allocates: its own request is approved as it is made.
    moved = desks["manager"].post(f"{case}/reassignment", {"to_worker": "t.abenov", "reason": "caseload eased"})
    assert moved["social_worker"] == "t.abenov" and moved["reassignments"][-1]["state"] == "approved"
    assert ids(desks["supervisor"].items("team")) == [case_id]
    assert desks["supervisor"].get("/v1/teams/g.mukanova")["members"] == ["t.abenov"]


def test_before_a_worker_is_assigned_there_is_nobody_to_reassign(desks: dict[str, Desk]) -> None:
    referral = desks["school"].post("/v1/referrals", child("Dana"), status=201)
    desks["manager"].post(f"/v1/referrals/{referral['id']}/acknowledge")
    case_id = desks["manager"].post(f"/v1/referrals/{referral['id']}/accept", status=201)["id"]
    desks["manager"].refused(f"/v1/cases/{case_id}/reassignment", {"to_worker": "t.abenov", "reason": "x"}, 409,
                             "rule-violation")


def test_only_a_centres_head_sets_a_team(desks: dict[str, Desk]) -> None:
    response = desks["worker"].client.put("/v1/teams/g.mukanova", json={"members": ["d.seitkali"]},
                                          headers=desks["worker"].headers)
    assert response.status_code == 403
    assert desks["supervisor"].get("/v1/teams/g.mukanova")["members"] == []


def test_the_risk_level_is_shown_sorted_and_filtered_in_the_inbox(desks: dict[str, Desk]) -> None:
    low, high, unrated = worked_case(desks, "Aruzhan"), worked_case(desks, "Bota"), worked_case(desks, "Dana")
    worker = desks["worker"]
    worker.post(f"/v1/cases/{low}/risk", {"level": "medium", "reasons": ["irregular meals"]})
    worker.post(f"/v1/cases/{high}/risk", {"level": "high", "reasons": ["bruises seen by the nurse"]})
    changed = desks["manager"].post(f"/v1/cases/{low}/risk", {"level": "low", "reasons": ["grandmother moved in"]})
    assert changed["risk_level"] == "low"
    assert [(r["level"], r["previous"]) for r in changed["risk"]] == [("medium", None), ("low", "medium")]

    by_risk = worker.get("/v1/inbox?queue=mine&sort=risk&order=desc")["items"]
    assert [(i["item_id"], i["risk_level"]) for i in by_risk] == [(high, "high"), (low, "low"), (unrated, None)]
    assert ids(worker.get("/v1/inbox?queue=cases&risk=high")["items"]) == [high]
    page = worker.get("/v1/inbox?queue=mine&sort=risk&order=desc&limit=1")
    assert ids(worker.get(f"/v1/inbox?queue=mine&sort=risk&order=desc&limit=2&cursor={page['next_cursor']}")[
        "items"]) == [low, unrated]
    refused = worker.client.get("/v1/inbox?risk=severe", headers=worker.headers)
    assert refused.status_code == 422
    worker.refused(f"/v1/cases/{high}/risk", {"level": "high", "reasons": [" "]}, 422, "validation-error")


def test_parental_rights_proceedings_tell_the_gta_and_the_prosecutor(desks: dict[str, Desk]) -> None:
    case_id = worked_case(desks)
    case = f"/v1/cases/{case_id}"
    proceedings = str(uuid4())
    desks["gta"].get(case, status=404)  # nothing of the case yet
    desks["manager"].post(f"{case}/parental-rights", {
        "proceedings_id": proceedings, "measure": "deprive", "parent": "E. Serikov",
        "grounds": "persistent neglect despite the plan", "court": "Inter-District Court for Minors, Almaty"})

    for body in ("gta", "prosecutor"):
        assert "hub:PARENTAL-RIGHTS" in rules_told(desks[body])
    assert "hub:PARENTAL-RIGHTS" not in rules_told(desks["manager"])  # the applicant is not told of its own step

    desks["judge"].post(f"{case}/parental-rights/hearings", {"proceedings_id": proceedings,
                                                            "at": "2026-04-15T10:00:00+05:00"})
    recorded = desks["judge"].post(f"{case}/parental-rights/decision", {
        "proceedings_id": proceedings, "outcome": "granted", "decision_reference": "2-1234/2026"})
    assert set(recorded) == {"case_id", "recorded", "at"}  # the court learns nothing more of the case

    followed = desks["gta"].get(case)
    [rights] = followed["parental_rights"]
    assert (rights["measure"], rights["outcome"], rights["decision_reference"]) == ("deprive", "granted", "2-1234/2026")
    assert rights["hearings"] and "social_worker" not in followed and "risk" not in followed
    desks["judge"].refused(f"{case}/parental-rights/decision", {"proceedings_id": proceedings, "outcome": "refused"},
                           422, "rule-violation")


def test_an_inbox_table_made_before_risk_levels_gains_them_in_place(app: Hub) -> None:
    """A store whose inbox table has no risk columns (made before decision 0042) opens, and its rows carry the
    level from the next change on."""
    sql = Sql(app.store.recorder)
    with sql.transaction() as cursor:
        cursor.execute("DROP TABLE {hub_inbox}", TABLES)
        cursor.execute(INBOX_BEFORE_0042, TABLES)
    app.views.inbox = InboxStore(sql, RowSealer(app.store.child_keys))
    case = open_case(app)
    app.cases.assign_social_worker(MANAGER, case.id, SOCIAL_WORKER.user, False)
    app.cases.assess_risk(SOCIAL_WORKER, case.id, RiskLevel.HIGH, ["bruises seen by the nurse"])
    [item] = app.inbox.inbox(SOCIAL_WORKER, "mine", sort="risk", risk="high").items
    assert (item.item_id, item.risk_level) == (str(case.id), "high")
