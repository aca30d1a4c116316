"""The Ombudsman's monitoring visits (decision 0040), over HTTP: its monitors record a visit and the referrals
that came out of it and read it whole; the institution visited reads that it was visited and what is addressed
to it, never what the monitors found about its children nor which referrals followed; nobody else knows of it.
Findings are sealed in the log, and every read is recorded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind, City
from hub.api.app import create_app
from hub.bootstrap import Hub
from hub.reports.access_report import ReportFilter
from tests.builders import ADMIN, AUDITOR, MANAGER, OMBUDSMAN_MONITOR, REFERRAL, SPECIAL_SCHOOL
from tests.journey_support import Desk

FINDINGS = "Boys of group 3 say the night educator locks them in the cold room; Nurlan showed bruises."
ADDRESSED = "The isolation room must close; the night shift needs a second educator."


@pytest.fixture
def desks(app: Hub) -> Iterator[dict[str, Desk]]:
    app.directory.register_agency(ADMIN, "home-almaty-3", "Children's Home No. 3", BodyKind.CHILDREN_HOME, City.ALMATY)
    people = {"monitor": OMBUDSMAN_MONITOR, "school": SPECIAL_SCHOOL, "centre": MANAGER,
              "home": Actor("home-almaty-3", "director", "s.abenova")}
    with TestClient(create_app(app)) as client:
        yield {name: Desk(client, app, actor) for name, actor in people.items()}


def _visit(monitor: Desk, **overrides: Any) -> dict[str, Any]:
    body = {"institution": SPECIAL_SCHOOL.agency, "visited_on": "2026-02-27", "monitors": ["I. Khaliulin", "A. Sarsen"],
            "findings": FINDINGS, "findings_for_institution": ADDRESSED, **overrides}
    return monitor.post("/v1/visits", body, status=201)


def test_the_ombudsman_sees_the_visit_whole_and_the_institution_only_what_is_addressed_to_it(
    app: Hub, desks: dict[str, Desk]
) -> None:
    monitor, school = desks["monitor"], desks["school"]
    visit = _visit(monitor)
    referral = monitor.post("/v1/referrals", REFERRAL, status=201)
    cited = monitor.post(f"/v1/visits/{visit['id']}/referrals", {"referral_id": referral["id"]})

    assert cited["findings"] == FINDINGS and cited["referral_ids"] == [referral["id"]]
    seen = school.get(f"/v1/visits/{visit['id']}")
    assert (seen["visited_on"], seen["findings_for_institution"]) == ("2026-02-27", ADDRESSED)
    assert seen["findings"] is None and seen["referral_ids"] is None
    assert [v["id"] for v in school.get("/v1/visits")] == [visit["id"]]
    for other in ("home", "centre"):  # another institution, a centre: the visit does not exist for them
        desks[other].get(f"/v1/visits/{visit['id']}", status=404)
        assert desks[other].get("/v1/visits") == []

    # The findings name a child: the log holds them sealed, as a child's own records are.
    raw = b"".join(n.state for n in app.store.recorder.select_notifications(1, 10_000))
    assert b"Nurlan" not in raw and b"isolation room" not in raw
    assert SPECIAL_SCHOOL.agency.encode() in raw  # which institution was visited stays in clear
    # Who read the visit is on record, the refusals too.
    for agency, outcome in (("special-school-almaty-4", "granted"), ("home-almaty-3", "denied")):
        rows = app.access_reports.access_report(AUDITOR, ReportFilter(agency=agency)).rows
        assert (visit["id"], outcome) in {(str(r.record_id), r.outcome) for r in rows if r.record_type == "monitoring_visit"}


def test_a_visit_is_to_an_institution_and_cites_only_the_ombudsman_s_own_referrals(
    app: Hub, desks: dict[str, Desk]
) -> None:
    monitor = desks["monitor"]
    monitor.post("/v1/visits", {"institution": "school-almaty-12", "visited_on": "2026-02-27",
                                "monitors": ["I. Khaliulin"], "findings": "-"}, status=422)
    desks["school"].post("/v1/visits", {"institution": SPECIAL_SCHOOL.agency, "visited_on": "2026-02-27",
                                        "monitors": ["K. Sadvakasov"], "findings": "all is well"}, status=403)
    visit = _visit(monitor)
    others = desks["centre"].post("/v1/referrals", REFERRAL, status=201)
    monitor.post(f"/v1/visits/{visit['id']}/referrals", {"referral_id": others["id"]}, status=404)
