"""Monitoring indicators (cam-csc-manual §7.2): counted by replay, per referral, admission and child, anonymised."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import bootstrap
from hub.cli.main import main
from hub.errors import Forbidden, InvalidInput
from hub.privacy.policy_file import packaged_policy_text
from hub.reports.access_report import ReportFilter
from tests.api_support import bearer
from tests.builders import AUDITOR, MANAGER, SCHOOL_PSYCHOLOGIST, SCHOOL_TEACHER, STEERING, UNICEF, register_agencies
from tests.conftest import START, TEST_MASTER_KEY
from tests.scenario import drive_to, readmit, submit

WEEK = (START - timedelta(days=1), START + timedelta(days=6))
GIRL_AT_SCHOOL = {
    "child__given_name": "Dana", "child__stated_age": 12, "child__sex": "female", "child__nationality": "Kazakhstan",
    "child__categories": [],
    "child__disability": "hearing impairment", "concern__category": "physical_violence",
}


def cells(report) -> dict[tuple[str, str, str], int | None]:
    return {(c.indicator, c.breakdown, c.label): c.count for c in report.cells}


@pytest.fixture
def every_cell(store_url, frozen):
    """An application whose policy shows cells of any size: for checking what is counted, not what is hidden."""
    text = packaged_policy_text().replace("minimum_cell: 5", "minimum_cell: 1")
    assert text != packaged_policy_text()
    app = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY}, policy_text=text)
    register_agencies(app)
    yield app
    app.close()


def test_referrals_are_counted_each_time_and_children_once_with_readmissions_apart(every_cell, frozen):
    app = every_cell
    first = drive_to(app, "closed")  # an unaccompanied Uzbek boy of 14, referred by a juvenile inspector
    frozen.advance(timedelta(hours=1))
    readmit(app, first.child_id)
    submit(app, actor=SCHOOL_PSYCHOLOGIST, **GIRL_AT_SCHOOL)

    seen = cells(app.indicators.indicators(STEERING, *WEEK))

    assert (seen[("1", "total", "")], seen[("1", "children", "")]) == (3, 2)
    assert (seen[("1", "readmission", "first")], seen[("1", "readmission", "readmission")]) == (2, 1)
    assert (seen[("admissions", "total", "")], seen[("admissions", "readmission", "readmission")]) == (2, 1)
    assert (seen[("1", "referrer_type", "juvenile_police")], seen[("1", "referrer_type", "school")]) == (2, 1)
    assert (seen[("1", "gender", "male")], seen[("1", "gender", "female")]) == (2, 1)
    assert (seen[("1", "disability", "disability recorded")], seen[("1", "disability", "none recorded")]) == (1, 2)
    assert (seen[("1", "nationality", "Uzbekistan")], seen[("1", "nationality", "Kazakhstan")]) == (2, 1)
    assert seen[("1", "age", "14-17")] == 2 and seen[("1", "age", "10-13")] == 1
    assert (seen[("2", "total", "")], seen[("8A", "total", "")], seen[("8A", "children", "")]) == (2, 2, 1)


def test_outcome_indicators_follow_assessments_plans_and_re_referrals(every_cell, frozen):
    app = every_cell
    drive_to(app, "cp_plan_active")
    drive_to(app, "care_plan_active")
    left_care = drive_to(app, "transition_from_care")
    frozen.advance(timedelta(days=2))
    submit(app, child_id=left_care.child_id)

    seen = cells(app.indicators.indicators(STEERING, *WEEK))

    assert seen[("7", "total", "")] == 3
    assert (seen[("9", "total", "")], seen[("10", "total", "")], seen[("11", "total", "")]) == (1, 2, 0)
    assert seen[("14", "total", "")] == 1


def test_only_what_happened_in_the_period_counts(every_cell, frozen):
    app = every_cell
    drive_to(app, "closed")
    frozen.advance(timedelta(days=10))
    submit(app)

    assert cells(app.indicators.indicators(STEERING, *WEEK))[("1", "total", "")] == 1
    assert cells(app.indicators.indicators(STEERING, WEEK[0], START + timedelta(days=30)))[("1", "total", "")] == 2


def test_a_report_as_of_a_past_moment_is_the_report_made_then(every_cell, frozen):
    app = every_cell
    drive_to(app, "closed")
    made_then = app.indicators.indicators(STEERING, WEEK[0], START + timedelta(days=30))
    frozen.advance(timedelta(days=3))
    submit(app, actor=SCHOOL_PSYCHOLOGIST, **GIRL_AT_SCHOOL)

    again = app.indicators.indicators(STEERING, WEEK[0], START + timedelta(days=30), as_of=made_then.as_of)

    assert again.cells == made_then.cells
    assert cells(app.indicators.indicators(STEERING, WEEK[0], START + timedelta(days=30)))[("1", "total", "")] == 2


def test_cells_are_hidden_under_the_policy_of_the_moment_replayed_even_in_a_process_just_started(
    every_cell, store_url
):
    drive_to(every_cell, "closed")
    text = packaged_policy_text().replace("minimum_cell: 5", "minimum_cell: 1")
    started = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY}, policy_text=text)
    try:
        report = started.indicators.indicators(STEERING, *WEEK)
    finally:
        started.close()

    assert report.minimum_cell == 1 and cells(report)[("1", "total", "")] == 1


def test_small_cells_are_hidden_and_so_is_the_cell_that_would_give_one_away(app):
    for _ in range(7):
        submit(app)  # Uzbek boys
    for _ in range(3):
        submit(app, child__nationality="Kazakhstan")

    seen = cells(app.indicators.indicators(STEERING, *WEEK))

    assert seen[("1", "total", "")] == 10 and seen[("1", "gender", "male")] == 10
    # 3 is below 5; with the total of 10 published, 7 would reveal it: both are hidden.
    assert (seen[("1", "nationality", "Kazakhstan")], seen[("1", "nationality", "Uzbekistan")]) == (None, None)
    assert seen[("admissions", "total", "")] == 0  # nothing is not a small cell


def test_an_indicator_with_fewer_units_than_the_minimum_shows_nothing_but_a_hidden_total(app):
    drive_to(app, "closed")

    report = app.indicators.indicators(STEERING, *WEEK)

    assert [(c.breakdown, c.count) for c in report.cells if c.indicator == "1"] == [("total", None)]


def test_an_erased_child_is_no_longer_counted_and_the_report_says_how_many(every_cell):
    app = every_cell
    erased = drive_to(app, "closed")
    drive_to(app, "closed")
    app.erasure.erase(MANAGER, erased.child_id, "request of the legal representative under the personal data law")

    report = app.indicators.indicators(STEERING, *WEEK)

    assert cells(report)[("1", "total", "")] == 1 and report.children_erased == 1


def test_only_the_bodies_that_receive_counts_get_them_and_each_report_is_a_recorded_read(app):
    with pytest.raises(Forbidden):
        app.indicators.indicators(SCHOOL_TEACHER, *WEEK)
    with pytest.raises(InvalidInput):
        app.indicators.indicators(UNICEF, WEEK[1], WEEK[0])

    app.indicators.indicators(UNICEF, *WEEK)

    report = app.access_reports.access_report(AUDITOR, ReportFilter(agency="unicef-kz"))
    assert [(r.record_type, r.purpose.split(":")[0]) for r in report.rows] == [("indicators", "indicators")]


def test_over_http_as_csv_with_suppressed_cells_marked_and_refusals_as_problems(app):
    for _ in range(5):
        submit(app)
    client = TestClient(create_app(app))
    params = {"from": WEEK[0].isoformat(), "to": WEEK[1].isoformat()}

    response = client.get("/v1/statistics/indicators", params={**params, "format": "csv"}, headers=bearer(app, STEERING))

    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {(r["indicator"], r["breakdown"], r["count"]) for r in rows} >= {("1", "total", "5"), ("3", "total", "0")}
    forbidden = client.get("/v1/statistics/indicators", params=params, headers=bearer(app, SCHOOL_TEACHER))
    assert forbidden.status_code == 403 and forbidden.headers["content-type"] == "application/problem+json"
    naive = client.get("/v1/statistics/indicators", params={"from": "2026-03-01T00:00", "to": params["to"]},
                       headers=bearer(app, STEERING))
    assert naive.status_code == 422


def test_the_command_line_prints_the_csv_for_the_holder_of_the_token(app, store_url, monkeypatch, capsys):
    for _ in range(5):
        submit(app)
    monkeypatch.setenv("HUB_DATABASE_URL", store_url)
    monkeypatch.setenv("HUB_MASTER_KEY", TEST_MASTER_KEY)
    monkeypatch.setenv("HUB_TOKEN", bearer(app, STEERING)["Authorization"].removeprefix("Bearer "))

    assert main(["audit", "indicators", "--from", WEEK[0].isoformat(), "--to", WEEK[1].isoformat(), "--csv"]) == 0

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert ("1", "total", "5") in {(r["indicator"], r["breakdown"], r["count"]) for r in rows}
