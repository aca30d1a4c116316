"""Closed institutions (decision 0040): their places and openings as recorded changes, a placement into one, or
away from the child's home region, told to the Ombudsman with only what the policy grants, and what the
institution itself learns of the child placed there."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind, City, PlacementType
from hub.api.app import create_app
from hub.errors import GuardViolation, InvalidInput, NotFound
from tests.api_support import bearer
from tests.builders import ADMIN, GTA_OFFICER, INSPECTOR, MANAGER, OMBUDSMAN_MONITOR, STEERING
from tests.scenario import notices_about, open_case, refused, submit

EAST_KAZAKHSTAN = "630000000"
HOME = Actor("home-almaty-3", "director", "s.abenova")
HOME_STAFF = Actor("home-almaty-3", "staff", "nanny.one")
EAST_HOME = Actor("home-east-1", "director", "b.tokhtarov")
FLAGGED = "hub:PLACEMENT-FLAGGED"
TRAUMA = "saw her father kill her mother; wakes at night, withdrawn"


@pytest.fixture
def homes(app: Any) -> Any:
    app.directory.register_agency(ADMIN, HOME.agency, "Children's Home No. 3, Almaty", BodyKind.CHILDREN_HOME, City.ALMATY)
    app.directory.register_agency(ADMIN, EAST_HOME.agency, "Children's Home, Oskemen", BodyKind.CHILDREN_HOME,
                                  EAST_KAZAKHSTAN)
    return app


def _flagged(app: Any, case: Any) -> list[tuple[str | None, str]]:
    return [(n.recipient_agency, n.recipient_kind) for n in notices_about(app, case) if n.rule == FLAGGED]


def test_an_institution_s_places_and_closing_are_changes_with_who_when_and_why(homes: Any, frozen: Any) -> None:
    app = homes
    app.directory.set_institution(HOME, HOME.agency, 40, None, "a new wing opened", within=HOME.agency)
    closed = app.directory.set_institution(ADMIN, HOME.agency, None, False, "quarantine: measles", within=None)

    assert (closed.capacity, closed.is_open) == (40, False)
    changes = app.directory.institution_changes(HOME.agency)
    assert [(c["by"]["user"], c.get("capacity"), c.get("is_open"), c["reason"]) for c in changes] == [
        ("s.abenova", 40, None, "a new wing opened"), ("setup", None, False, "quarantine: measles"),
    ]
    with pytest.raises(NotFound):  # a director keeps its own institution only
        app.directory.set_institution(EAST_HOME, HOME.agency, 10, None, "not mine", within=EAST_HOME.agency)
    with refused(app, GuardViolation, "not-an-institution"):
        app.directory.set_institution(ADMIN, "cam-almaty", 10, None, "a centre has no places here", within=None)


BEYOND = "hub:PLACEMENT-BEYOND-CAPACITY"


def _beyond(app: Any, case: Any) -> list[str | None]:
    return sorted(n.recipient_agency for n in notices_about(app, case) if n.rule == BEYOND)


def test_a_placement_into_a_closed_institution_is_recorded_and_told_to_the_gta_and_the_ombudsman(homes: Any) -> None:
    app = homes
    case = open_case(app)
    app.directory.set_institution(ADMIN, HOME.agency, None, False, "closed for repairs", within=None)
    # A removal at night by the juvenile inspector (8.2.2b): never refused for want of an open institution.
    placed = app.cases.record_placement(INSPECTOR, case.id, PlacementType.REMOVED_TEMPORARY_PROTECTION, "JI 3/2026",
                                        HOME.agency)
    assert placed.placement_institution == HOME.agency
    assert _beyond(app, placed) == ["gta-almaty", "ombudsman-kz"]
    assert app.reads.show(GTA_OFFICER, "case", case.id)["placement_institution"] == HOME.agency


def test_the_child_beyond_the_places_is_flagged_and_the_institution_shows_occupancy_against_capacity(
    homes: Any,
) -> None:
    app = homes
    client = TestClient(create_app(app))
    app.directory.set_institution(ADMIN, HOME.agency, 2, None, "two places left this winter", within=None)
    first, second, third = (open_case(app, child__given_name=name) for name in ("Ainur", "Aruzhan", "Dina"))
    for case in (first, second):
        app.cases.record_placement(GTA_OFFICER, case.id, PlacementType.RESIDENTIAL, "GTA 8/2026", HOME.agency)
        assert _beyond(app, case) == []
    app.cases.record_placement(GTA_OFFICER, third.id, PlacementType.RESIDENTIAL, "GTA 9/2026", HOME.agency)
    assert _beyond(app, third) == ["ombudsman-kz"]  # the GTA placed the child itself: it is not told its own act
    seen = client.get(f"/v1/agencies/{HOME.agency}/institution", headers=bearer(app, OMBUDSMAN_MONITOR)).json()
    assert (seen["occupancy"], seen["capacity"]) == (3, 2)
    # A child who leaves frees a place: the count is of open cases placing a child there.
    app.cases.record_placement(GTA_OFFICER, first.id, PlacementType.AT_HOME, "GTA 10/2026")
    seen = client.get(f"/v1/agencies/{HOME.agency}/institution", headers=bearer(app, OMBUDSMAN_MONITOR)).json()
    assert seen["occupancy"] == 2


def test_only_an_institution_is_named(homes: Any) -> None:
    app = homes
    case = open_case(app)
    with refused(app, InvalidInput):
        app.cases.record_placement(GTA_OFFICER, case.id, PlacementType.RESIDENTIAL, "GTA 7/2026", "cam-almaty")


def test_a_placement_in_a_children_s_home_tells_the_ombudsman_who_and_where_and_the_home_the_child_s_history(
    homes: Any,
) -> None:
    app = homes
    case = open_case(app, concern__description=TRAUMA)
    placed = app.cases.record_placement(GTA_OFFICER, case.id, PlacementType.RESIDENTIAL, "GTA 7/2026", HOME.agency)

    assert _flagged(app, placed) == [("ombudsman-kz", "ombudsman")]
    seen = app.reads.show(OMBUDSMAN_MONITOR, "case", case.id)
    assert (seen["placement_institution"], seen["placement"]) == (HOME.agency, "alternative_care_residential")
    assert "social_worker" not in seen and "closure" not in seen
    child = app.reads.show(OMBUDSMAN_MONITOR, "child", case.child_id)
    assert child["identity"]["given_name"]
    # why the child was referred is not the Ombudsman's to read from a placement (its receipt is, as always)
    assert "content" not in app.reads.show(OMBUDSMAN_MONITOR, "referral", case.referral_ids[0])

    history = app.reads.show(HOME_STAFF, "referral", case.referral_ids[0])
    assert history["content"]["concern"]["description"] == TRAUMA
    assert "referrer" not in history["content"] and "parents" not in history["content"]
    with pytest.raises(NotFound):  # another home learns nothing of her
        app.reads.show(EAST_HOME, "child", case.child_id)


def test_a_family_placement_in_another_region_is_flagged_and_one_in_the_home_region_is_not(homes: Any) -> None:
    app = homes
    near = open_case(app)
    placed = app.cases.record_placement(
        GTA_OFFICER, near.id, PlacementType.EXTENDED_FAMILY, "GTA 8/2026", unit=City.ALMATY
    )
    assert _flagged(app, placed) == []
    assert "placement" not in app.reads.show(OMBUDSMAN_MONITOR, "case", near.id)  # the case's metadata only

    far = open_case(app, child__given_name="Aset")
    placed = app.cases.record_placement(
        GTA_OFFICER, far.id, PlacementType.EXTENDED_FAMILY, "GTA 9/2026", unit=EAST_KAZAKHSTAN
    )
    assert _flagged(app, placed) == [("ombudsman-kz", "ombudsman")]
    seen = app.reads.show(OMBUDSMAN_MONITOR, "case", far.id)
    assert (seen["placement_unit"], seen["managing_agency"]) == (EAST_KAZAKHSTAN, MANAGER.agency)


def test_the_ombudsman_counts_each_institution_and_hides_the_cells_that_could_single_out_a_child(
    homes: Any, frozen: Any
) -> None:
    app = homes
    for name in ("Ainur", "Saule", "Dina", "Aru", "Zhanna"):
        placed = open_case(app, child__given_name=name)
        app.cases.record_placement(GTA_OFFICER, placed.id, PlacementType.RESIDENTIAL, f"GTA {name}", HOME.agency)
    frozen.advance(timedelta(days=1))
    submit(app, child_id=placed.child_id, concern__about_agency=HOME.agency, concern__category="physical_violence")
    for day in (date(2026, 2, 27), date(2026, 3, 1)):
        app.visits.record(OMBUDSMAN_MONITOR, HOME.agency, day, ["I. Khaliulin"], "rounds of the dormitories", None)
    week = (frozen.now() - timedelta(days=7), frozen.now() + timedelta(days=1))

    seen = {(c.indicator, c.breakdown, c.label): c.count for c in app.indicators.indicators(OMBUDSMAN_MONITOR, *week).cells}

    assert seen[("NPM-1", "institution", HOME.agency)] == 5
    # one concern, one allegation: a cell of one would point at her, so the Ombudsman sees "fewer than 5"
    assert seen[("NPM-2", "total", "")] is None and seen[("NPM-3", "total", "")] is None
    assert (seen[("NPM-4", "total", "")], seen[("NPM-4", "institution", HOME.agency)]) == (2, 2)  # visits: no child's
    assert not [c for c in app.indicators.indicators(STEERING, *week).cells if c.indicator.startswith("NPM")]
