"""A body told of its tasks in a child's plan reads them in its own language (docs/decisions/0060): the body
responsible by its registered name, the day as its locale writes it, the labels translated - and only its own
items; an agency system gets the same items structured; a notice created before still shows its text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub.aggregates.case_plan import PlanItem
from hub.aggregates.notice import Notice
from hub.api.app import create_app
from hub.bootstrap import Hub
from hub.records.notice import notice_record
from tests.api_support import bearer
from tests.builders import MANAGER, NGO_COORDINATOR, SCHOOL_PSYCHOLOGIST
from tests.scenario import drive_to, notices_about
from tests.web_support import signed_in

SCHOOL_TASK = PlanItem("Aziz attends school every day", "a weekly talk with the psychologist", "school-almaty-12", "M. Kim",
                       frequency="weekly")
NGO_TASK = PlanItem("The mother copes without shouting", "parenting course, 8 sessions", "ngo-rodnik",
                    due=date(2027, 2, 1))


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


@pytest.fixture
def told(app: Hub) -> dict[str, Notice]:
    """The plan's notices to the bodies responsible for its items, by the body told."""
    case = drive_to(app, "cp_plan_drafting")
    app.cases.finalise_protection_plan(MANAGER, case.id, "risk: neglect at home", True, None, [SCHOOL_TASK, NGO_TASK])
    return {n.recipient_agency: n for n in notices_about(app, case) if n.rule == "hub:PLAN-ACTIONS" and n.recipient_agency}


def _table(html: str) -> str:
    """The items' table as its cells' text."""
    table = html[html.index('<table class="plan-items'):html.index("</table>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table))


@pytest.mark.parametrize(("lang", "label", "day"), [
    ("ru", "Кто отвечает", "1 февр. 2027 г."), ("kk", "Кім жауапты", "2027 ж. 01 ақп."),
    ("en", "Who is responsible", "Feb 1, 2027"),
])
def test_a_responsible_body_reads_its_item_with_the_body_s_name_and_the_day_in_its_language(
    client: TestClient, app: Hub, told: dict[str, Notice], lang: str, label: str, day: str,
) -> None:
    signed_in(client, app, NGO_COORDINATOR)
    shown = client.get(f"/ui/notices/{told['ngo-rodnik'].id}?lang={lang}")
    assert shown.status_code == 200, shown.text
    cells = _table(shown.text)
    assert "Rodnik (NGO), Almaty" in cells and "parenting course, 8 sessions" in cells
    assert label in cells and day in cells
    assert "ngo-rodnik" not in cells and "2027-02-01" not in cells  # neither the code nor the ISO day is read
    assert "— ngo-rodnik —" not in shown.text  # nor the reason's lines for agency systems, beside the table


def test_a_body_reads_only_its_own_items(client: TestClient, app: Hub, told: dict[str, Notice]) -> None:
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    cells = _table(client.get(f"/ui/notices/{told['school-almaty-12'].id}?lang=en").text)
    assert "School No. 12, Almaty (M. Kim)" in cells and "weekly" in cells
    assert "parenting course" not in cells and "Rodnik" not in cells


def test_an_agency_system_gets_its_items_structured_and_as_the_lines_it_read_before(
    client: TestClient, app: Hub, told: dict[str, Notice]
) -> None:
    notice = client.get(f"/v1/notices/{told['ngo-rodnik'].id}", headers=bearer(app, NGO_COORDINATOR)).json()
    assert notice["plan_items"] == [{"goal": "The mother copes without shouting", "task": "parenting course, 8 sessions",
                                     "responsible": "ngo-rodnik", "due": "2027-02-01"}]
    # and, for a system that reads the text as decision 0052 gave it, the same item as a line of the reason
    assert notice["reason"] == "1. The mother copes without shouting — parenting course, 8 sessions — ngo-rodnik — 2027-02-01"
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert schema["PlanItemRecord"]["properties"]["due"]["anyOf"][0] == {"type": "string", "format": "date"}


def test_the_items_are_sealed_with_the_child_s_key_on_the_notice_too(app: Hub, told: dict[str, Notice]) -> None:
    stored = b"".join(e.state for e in app.store.recorder.select_events(told["ngo-rodnik"].id))
    assert b"parenting course" not in stored


def test_a_notice_created_before_still_shows_its_items_as_the_text_it_carried(
    client: TestClient, app: Hub, told: dict[str, Notice]
) -> None:
    notice = told["ngo-rodnik"]
    [created, *_] = list(app.store.events.get(notice.id))
    old: dict[str, Any] = vars(created)
    old.pop("plan_items")  # as stored before decision 0060, its items written into its message
    old["message"] = "1. The mother copes without shouting — parenting course — ngo-rodnik — 2027-02-01"
    folded = app.store.mapper.to_domain_event(app.store.mapper.to_stored_event(created)).mutate(None)
    assert folded is not None and folded.plan_items == [] and folded.message == old["message"]
    shown = notice_record(folded)
    assert shown["reason"] == old["message"] and "plan_items" not in shown
