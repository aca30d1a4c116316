"""Finding things in the pages: a child by a name in any script or a case number, the case list filtered and
sorted, and the duplicate check's candidate linked and declared the same child."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.builders import MANAGER, OTHER_CENTRE
from tests.scenario import assign, open_case, submit
from tests.web_support import post_form, signed_in

AIDOS = {"child__given_name": "Айдос", "child__family_name": "Нурланов", "child__stated_age": 10}
AYDOS = {"child__given_name": "Aydos", "child__family_name": "Nurlanov", "child__stated_age": 10}


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def test_a_name_in_latin_letters_finds_the_child_written_in_cyrillic(client: TestClient, app: Hub) -> None:
    aidos = open_case(app, **AIDOS)
    other = open_case(app)  # the demo's Aziz Karimov
    signed_in(client, app, MANAGER)
    found = client.get("/ui/search", params={"q": "aidos nurlanova"}).text
    assert f"/ui/cases/{aidos.id}" in found and f"/ui/cases/{other.id}" not in found
    by_number = client.get("/ui/search", params={"q": other.case_number}).text
    assert f"/ui/cases/{other.id}" in by_number and f"/ui/cases/{aidos.id}" not in by_number


def test_the_case_list_filters_by_state_and_social_worker(client: TestClient, app: Hub) -> None:
    waiting = open_case(app, **AIDOS)
    allocated = open_case(app)
    assign(app, allocated.id)
    signed_in(client, app, MANAGER)
    in_intake = client.get("/ui/search", params={"state": "intake"}).text
    assert f"/ui/cases/{waiting.id}" in in_intake and f"/ui/cases/{allocated.id}" not in in_intake
    theirs = client.get("/ui/search", params={"social_worker": "d.seitkali"}).text
    assert f"/ui/cases/{allocated.id}" in theirs and f"/ui/cases/{waiting.id}" not in theirs


def test_another_centre_finds_nothing_of_a_child_it_does_not_manage(client: TestClient, app: Hub) -> None:
    open_case(app, **AIDOS)
    signed_in(client, app, OTHER_CENTRE)
    assert "Нурланов" not in client.get("/ui/search", params={"q": "Aidos"}).text


def test_a_likely_duplicate_links_to_the_known_childs_case_and_is_declared_the_same_child(
    client: TestClient, app: Hub
) -> None:
    known = open_case(app, **AIDOS)
    second = submit(app, **AYDOS)
    app.referrals.acknowledge_referral(MANAGER, second.id)
    signed_in(client, app, MANAGER)
    page = f"/ui/referrals/{second.id}"
    shown = client.get(page).text
    assert f"/ui/cases/{known.id}" in shown and "A likely match" in shown
    linked = post_form(client, page, f"{page}/same-child/{known.child_id}", {})
    assert linked.status_code == 303
    onward = app.referrals.referral_for(MANAGER, second.id).onward_referral_id
    assert linked.headers["location"] == f"/ui/referrals/{onward}"
    assert app.referrals.referral_for(MANAGER, onward).child_id == known.child_id
