"""Geography as data (hub/geography/units.yaml, decision 0026): every unit of the country routes or says why
not, places are listed in three languages, and agencies are found by walking up the units."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.aggregates.vocabulary import BodyKind, ConcernCategory
from hub.api.app import create_app
from hub.bootstrap import Hub
from hub.errors import InvalidInput
from hub.geography.units import COUNTRY, geography
from hub.routing import NO_ROUTE, Facts, case_managing_body, route
from tests.api_support import assert_problem, bearer
from tests.builders import ADMIN, INSPECTOR
from tests.scenario import submit

PLACES = geography()
UNITS = sorted(PLACES.units)
REGIONS = [u.code for u in PLACES.children(COUNTRY)]


def test_the_country_has_its_17_regions_3_cities_and_their_districts() -> None:
    kinds = [PLACES.units[code].kind for code in REGIONS]
    assert (kinds.count("region"), kinds.count("city_of_republican_significance")) == (17, 3)
    assert {c: PLACES.units[c].name("en") for c in ("710000000", "750000000", "790000000")} == {
        "710000000": "Astana", "750000000": "Almaty", "790000000": "Shymkent"}
    assert {"100000000", "330000000", "620000000"} <= set(REGIONS)  # Abai, Jetisu, Ulytau (2022)
    assert len([u for u in PLACES.units.values() if u.kind == "district"]) > 150


@settings(max_examples=len(UNITS), deadline=None)
@given(code=st.sampled_from(UNITS), age=st.integers(3, 17), concern=st.sampled_from(list(ConcernCategory)))
def test_every_unit_resolves_a_managing_body_or_a_no_route_reason_configured_as_data(code, age, concern) -> None:
    unit = PLACES.units[code]
    assert all(unit.names[lang].strip() for lang in ("kk", "ru", "en"))
    assert PLACES.chain(code)[-1].code == COUNTRY
    if code != COUNTRY:
        region = PLACES.region_of(code)
        assert code.startswith(region[:2])  # a KATO code begins with its region's
    chosen = route(Facts(place=code, age=age, concern=concern))
    assert chosen is not None
    if chosen.rule == NO_ROUTE:
        assert chosen.kind is None and chosen.reason  # the data's reason, shown to the referrer
    else:
        assert chosen.kind is not None, f"{code} routes {chosen.rule} to no kind of body"
    managing = case_managing_body(code)
    assert managing == (BodyKind.CSC if PLACES.contains("710000000", code) else BodyKind.CAM)


def test_a_child_in_baikonur_gets_the_data_s_no_route_reason(app: Hub) -> None:
    with pytest.raises(InvalidInput) as refused:
        submit(app, child__city="431900000")
    assert refused.value.problem_type == "no-route" and "Russian Federation" in str(refused.value)


def test_an_agency_of_a_district_comes_before_the_region_s_and_a_region_s_serves_its_districts(app: Hub) -> None:
    app.directory.register_agency(ADMIN, "cam-vko", "CAM, East Kazakhstan", BodyKind.CAM, "630000000")
    app.directory.register_agency(ADMIN, "cam-ridder", "CAM, Ridder", BodyKind.CAM, "632400000")
    assert submit(app, child__city="635600000").recipient_agency == "cam-vko"  # Samar district: the region's
    assert submit(app, child__city="632400000").recipient_agency == "cam-ridder"
    assert submit(app, child__city="630000000").recipient_agency == "cam-vko"
    with pytest.raises(InvalidInput) as refused:  # no CAM in Pavlodar region, none national
        submit(app, child__city="551000000")
    assert refused.value.problem_type == "no-route"


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def test_places_are_listed_in_kazakh_russian_and_english(client: TestClient, app: Hub) -> None:
    headers = bearer(app, INSPECTOR)
    regions = client.get("/v1/places", params={"parent": "KZ", "lang": "kk"}, headers=headers)
    assert regions.status_code == 200, regions.text
    by_code = {p["code"]: p for p in regions.json()}
    assert len(by_code) == 20
    assert by_code["630000000"]["name"] == "Шығыс Қазақстан облысы"
    assert by_code["630000000"]["names"] == {
        "kk": "Шығыс Қазақстан облысы", "ru": "Восточно-Казахстанская область", "en": "East Kazakhstan Region"}
    districts = client.get("/v1/places", params={"parent": "750000000", "lang": "en"}, headers=headers).json()
    assert "Medeu District" in [d["name"] for d in districts]
    assert len(client.get("/v1/places", headers=headers).json()) == len(UNITS)
    legacy = client.get("/v1/places/almaty", params={"lang": "ru"}, headers=headers).json()
    assert (legacy["code"], legacy["name"]) == ("750000000", "Алматы")
    assert_problem(client.get("/v1/places", params={"parent": "999"}, headers=headers), 404, "not-found")
    assert_problem(client.get("/v1/places/nowhere", headers=headers), 404, "not-found")
    assert client.get("/v1/places").status_code == 401


def test_an_unknown_place_is_refused_naming_the_field(client: TestClient, app: Hub) -> None:
    app.directory.register_agency(ADMIN, ADMIN.agency, "Hub operators", BodyKind.HUB, "KZ")
    body = {"code": "cam-x", "name": "CAM X", "kind": "cam", "unit": "123"}
    refused = assert_problem(client.post("/v1/agencies", json=body, headers=bearer(app, ADMIN)), 422, "validation-error")
    assert "unknown place" in str(refused)
    made = client.post("/v1/agencies", json={**body, "unit": "630000000"}, headers=bearer(app, ADMIN))
    assert made.status_code == 201 and made.json()["unit"] == "630000000"
