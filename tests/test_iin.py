"""The child's IIN (docs/decisions/0051): optional, checked, sealed with the child's key; found through a keyed
index by the bodies that may see it and by no other; the duplicate check's strongest evidence, for and against."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from adapters.registry import ADAPTERS
from hub import iin
from hub.api.app import create_app
from hub.bootstrap import Hub
from hub.services.duplicates import SAME_CHILD
from tests.api_support import assert_problem, bearer
from tests.builders import GTA_OFFICER, INSPECTOR, MANAGER, OTHER_CENTRE, SCHOOL_PSYCHOLOGIST, referral_content
from tests.scenario import open_case, submit
from tests.test_encryption import raw_events
from tests.test_web_portal import INTAKE
from tests.web_support import post_form, signed_in

AIDA_IIN = "150515600128"  # a girl born on 15 May 2015
TWIN_IIN = "150515600475"  # another girl born that day
NOVEMBER_IIN = "121111600015"  # a girl born on 11 November 2012: the first weights give 10, the second the check digit
AIDA = {"given_name": "Aida", "family_name": "Nurlanova", "date_of_birth": "2015-05-15", "sex": "female",
        "city": "almaty"}


def aida(**child: Any) -> dict[str, Any]:
    """Aida's referral by the juvenile inspector, as its JSON body, the child's fields as given (unchecked)."""
    body = referral_content(child={**AIDA, "iin": AIDA_IIN}).model_dump(mode="json", exclude_none=True)
    body["child"].update(child)
    return body


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def _submitted(client: TestClient, app: Hub, body: dict[str, Any], key: str = "aida") -> Any:
    return client.post("/v1/referrals", json=body, headers={**bearer(app, INSPECTOR), "Idempotency-Key": key})


def _search(client: TestClient, app: Hub, actor: Any, number: str) -> Any:
    answer = client.post("/v1/children/search", json={"iin": number}, headers=bearer(app, actor))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_check_digit_is_the_decree_s_and_the_first_six_digits_the_date_of_birth() -> None:
    assert iin.is_valid(AIDA_IIN) and iin.is_valid(TWIN_IIN) and iin.is_valid(NOVEMBER_IIN)
    assert not iin.is_valid("150515600127") and not iin.is_valid("121111600016")
    assert iin.birth(AIDA_IIN) == (date(2015, 5, 15), "female")
    assert iin.disagreement(AIDA_IIN, date(2015, 5, 15), "unknown") is None
    assert iin.disagreement(AIDA_IIN, date(2015, 5, 16), "female") == "date_of_birth"
    assert iin.disagreement(AIDA_IIN, None, "male") == "sex"


def test_the_iin_given_at_referral_is_the_childs_read_by_the_centre_and_stored_sealed(client, app) -> None:
    answer = _submitted(client, app, aida())
    assert answer.status_code == 201, answer.text
    child_id = answer.json()["child_id"]
    assert "iin" not in answer.text  # the referrer is told it was received, not what it sent back
    manager = client.get(f"/v1/children/{child_id}", headers=bearer(app, MANAGER)).json()
    assert manager["identity"]["iin"] == AIDA_IIN
    referral = client.get(f"/v1/referrals/{answer.json()['id']}", headers=bearer(app, MANAGER)).json()
    assert referral["content"]["child"]["iin"] == AIDA_IIN
    assert AIDA_IIN.encode() not in b"".join(e.state for e in raw_events(app))


def test_a_child_without_an_iin_is_referred_as_before(client, app) -> None:
    body = aida()
    del body["child"]["iin"]
    assert _submitted(client, app, body).status_code == 201


@pytest.mark.parametrize("number", ["150515600127", "15051560012", "1505156001280", "15051560012x", "159915600128"])
def test_an_iin_that_is_no_iin_is_refused_beside_its_field_and_nothing_is_recorded(client, app, number) -> None:
    problem = assert_problem(_submitted(client, app, aida(iin=number)), 422, "validation-error")
    assert problem["field"] == "child.iin" and number not in problem["detail"]
    assert client.get("/v1/inbox?queue=all", headers=bearer(app, MANAGER)).json()["items"] == []


@pytest.mark.parametrize(("child", "slug"), [({"date_of_birth": "2015-05-16"}, "iin-date-of-birth"),
                                             ({"sex": "male"}, "iin-sex")])
def test_an_iin_of_another_birthday_or_sex_is_refused_by_its_own_problem(client, app, child, slug) -> None:
    problem = assert_problem(_submitted(client, app, aida(**child)), 422, slug)
    assert problem["field"] == "child.iin" and AIDA_IIN not in problem["detail"]


def test_a_school_message_carries_its_pupils_iin_in(app) -> None:
    message = copy.deepcopy(ADAPTERS["schools"].samples()["concern_report_neglect"])
    [applied] = app.messages.receive(SCHOOL_PSYCHOLOGIST, "schools", message, "iin-1").applied
    app.referrals.acknowledge_referral(MANAGER, applied.record_id)
    assert app.reads.show(MANAGER, "child", applied.child_id)["identity"]["iin"] == message["pupil"]["iin"]


def test_a_search_by_iin_finds_the_child_for_the_centre_and_the_same_nothing_for_anyone_else(client, app) -> None:
    child_id = _submitted(client, app, aida()).json()["child_id"]
    [found] = _search(client, app, MANAGER, AIDA_IIN)
    assert (found["id"], found["identity"]["iin"]) == (child_id, AIDA_IIN)
    assert _search(client, app, MANAGER, TWIN_IIN) == []  # an IIN nobody has
    # The referrer, the GTA told of the referral (the name, not the IIN), another centre: as for an IIN nobody has.
    for other in (INSPECTOR, GTA_OFFICER, OTHER_CENTRE, SCHOOL_PSYCHOLOGIST):
        assert _search(client, app, other, AIDA_IIN) == [], other
    reads = {(r.agency, r.purpose) for r in app.reads.reads_of_child(MANAGER, UUID(child_id))}
    assert ("cam-almaty", "search") in reads  # only the child shown is recorded as read; the others' misses are not
    assert not {purpose for agency, purpose in reads if agency != "cam-almaty" and purpose == "search"}
    refused = client.post("/v1/children/search", json={"iin": "150515600127"}, headers=bearer(app, MANAGER))
    assert_problem(refused, 422, "validation-error")


def test_the_page_s_search_finds_the_case_by_iin_for_the_centre_alone(client, app) -> None:
    case = open_case(app, child={**AIDA, "iin": AIDA_IIN})
    other = open_case(app)
    signed_in(client, app, MANAGER)
    shown = client.get("/ui/search", params={"q": f" {AIDA_IIN} "}).text
    assert f"/ui/cases/{case.id}" in shown and f"/ui/cases/{other.id}" not in shown
    assert f"/ui/cases/{case.id}" not in client.get("/ui/search", params={"q": TWIN_IIN}).text
    signed_in(client, app, OTHER_CENTRE)
    assert "Nurlanova" not in client.get("/ui/search", params={"q": AIDA_IIN}).text


def test_the_duplicate_check_takes_the_same_iin_for_the_same_child_however_the_name_is_written(app) -> None:
    known = open_case(app, child={**AIDA, "iin": AIDA_IIN})
    spelled = submit(app, child={**AIDA, "given_name": "Аидана", "family_name": "Бекова", "iin": AIDA_IIN})
    [candidate] = app.referrals.duplicate_candidates(MANAGER, spelled.id)
    assert (candidate.child_id, candidate.likelihood, candidate.suggests) == (known.child_id, "likely", SAME_CHILD)
    assert "iin" in candidate.matched


def test_a_different_iin_says_the_same_name_and_birthday_is_another_child(app) -> None:
    known = open_case(app, child={**AIDA, "iin": AIDA_IIN})
    twin = submit(app, child={**AIDA, "iin": TWIN_IIN})
    assert [c for c in app.referrals.duplicate_candidates(MANAGER, twin.id) if c.suggests == SAME_CHILD] == []
    without = submit(app, child=AIDA)  # no IIN: the names and the birthday still suggest her
    assert (known.child_id, SAME_CHILD) in {
        (c.child_id, c.suggests) for c in app.referrals.duplicate_candidates(MANAGER, without.id)}


def test_the_portal_s_intake_form_takes_the_iin_and_says_beside_it_what_contradicts_it(client, app) -> None:
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    dana = {**INTAKE, "child.stated_age": "", "child.date_of_birth": "2015-05-16", "child.iin": AIDA_IIN}
    refused = post_form(client, "/ui/portal/referral", "/ui/portal/referral", dana)
    assert refused.status_code == 422
    assert 'id="r-child-iin-error"' in refused.text  # beside the field, not only atop the form
    assert "The IIN is of a person born on another day than the date of birth given." in refused.text
    assert f'value="{AIDA_IIN}"' in refused.text  # what was typed is kept
    sent = post_form(client, "/ui/portal/referral", "/ui/portal/referral", {**dana, "child.date_of_birth": "2015-05-15"})
    assert sent.status_code == 303, sent.text
    referral = app.referrals.referral_for(MANAGER, UUID(sent.headers["location"].rsplit("/", 1)[1]))
    assert app.reads.show(MANAGER, "child", referral.child_id)["identity"]["iin"] == AIDA_IIN
