"""A school records, from the harmed child's referral page, that the alleged perpetrator is a minor (vse S7;
docs/decisions/0050, 0060): the form is the API's command, with its body, permission, CSRF token and refusals
beside the fields; the page then shows the tie and the S7 steps taken for this child to a body shown both
children, in its language, and nothing of it to a body shown one of them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from babel.dates import format_date
from fastapi.testclient import TestClient

from hub.aggregates.involvement import Step
from hub.aggregates.referral import Referral
from hub.api.app import create_app
from hub.bootstrap import Hub
from hub.web.rendering import local_time
from tests.builders import INSPECTOR, MANAGER, SCHOOL_PSYCHOLOGIST, SCHOOL_TEACHER
from tests.scenario import submit
from tests.web_support import CSRF, signed_in

SCHOOL = "school-almaty-12"
# The alleged perpetrator's own referral, as the form's fields are named: his needs, his father, his consent.
TIMUR = {
    "perpetrator.referrer.name": "M. Kim", "perpetrator.referrer.professional_title": "school psychologist",
    "perpetrator.child.given_name": "Timur", "perpetrator.child.family_name": "Sadykov",
    "perpetrator.child.stated_age": "14", "perpetrator.child.city": "750000000",
    "perpetrator.child.school_agency": SCHOOL, "perpetrator.parents.0.name": "Marat Sadykov",
    "perpetrator.parents.0.relationship": "father", "perpetrator.concern.category": "physical_violence",
    "perpetrator.concern.description": "bruises on his back; says his father beats him",
    "perpetrator.concern.urgency": "routine", "perpetrator.consent.given": "yes", "perpetrator.consent.by": ["child"],
    "setting": "school", "reason": "hit Daniyar repeatedly in the toilets since October",
}


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


@pytest.fixture
def daniyar(app: Hub) -> Referral:
    """The harmed boy, referred by his school's psychologist."""
    return submit(app, actor=SCHOOL_PSYCHOLOGIST, child__given_name="Daniyar", child__family_name="Bekov",
                  child__stated_age=10, child__school_agency=SCHOOL)


def _page(client: TestClient, referral: Referral, lang: str = "en") -> str:
    return client.get(f"/ui/referrals/{referral.id}?lang={lang}").text


def _record(client: TestClient, referral: Referral, typed: dict[str, Any]) -> Any:
    """The form as the page holds it (its CSRF token and its own key), filled in and sent."""
    shown = _page(client, referral)
    csrf, key = CSRF.search(shown), shown.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]
    assert csrf is not None
    return client.post(f"/ui/referrals/{referral.id}/act/minor-perpetrator",
                       data={"csrf": csrf.group(1), "idempotency_key": key, **typed}, follow_redirects=False)


def _ties(app: Hub, referral: Referral) -> list[dict[str, Any]]:
    return app.involvements.of(MANAGER, referral.child_id)


def _tie_recorded(client: TestClient, app: Hub, referral: Referral, by: Any) -> dict[str, Any]:
    """Timur recorded from the page as the perpetrator, by ``by`` signed in; the tie it made."""
    signed_in(client, app, by)
    assert _record(client, referral, TIMUR).status_code == 303
    [tie] = _ties(app, referral)
    return tie


def test_the_school_records_the_perpetrator_from_the_page_and_sees_the_tie_and_its_steps(
    client: TestClient, app: Hub, daniyar: Referral, frozen: Any,
) -> None:
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    assert "Record that the alleged perpetrator is a minor" in _page(client, daniyar)
    recorded = _record(client, daniyar, TIMUR)
    assert recorded.status_code == 303 and recorded.headers["location"] == f"/ui/referrals/{daniyar.id}"
    [tie] = _ties(app, daniyar)
    assert (tie["other_minor"], tie["setting"], tie["reason"]) == ("alleged_perpetrator", "school", TIMUR["reason"])

    until = frozen.now().date() + timedelta(days=90)
    side = UUID(tie["id"])
    app.involvements.record_step(SCHOOL_PSYCHOLOGIST, daniyar.child_id, side, Step.PSYCHOLOGICAL_HELP,
                                 "weekly sessions", None)
    app.involvements.record_step(SCHOOL_PSYCHOLOGIST, daniyar.child_id, side, Step.MONITORING,
                                 "checks every two weeks", until)
    shown = _page(client, daniyar, "ru")
    start = shown.index('id="involvements-heading"')
    section = shown[start:shown.index("</section>", start)]
    assert "Предполагаемый обидчик — несовершеннолетний" in section and TIMUR["reason"] in section
    assert "психологическая помощь — School No. 12, Almaty" in section and "weekly sessions" in section
    assert "наблюдение — School No. 12, Almaty" in section and f"до {format_date(until, 'medium', locale='ru')}" in section
    steps = section[section.index('<ul class="steps">'):section.index("</ul>", section.index('<ul class="steps">'))]
    assert "psychological_help" not in steps and "school-almaty-12" not in steps  # words and names, not codes


def test_the_form_sent_twice_records_once(client: TestClient, app: Hub, daniyar: Referral) -> None:
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    shown = _page(client, daniyar)
    csrf = CSRF.search(shown)
    key = shown.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]
    assert csrf is not None
    for _ in range(2):
        sent = client.post(f"/ui/referrals/{daniyar.id}/act/minor-perpetrator",
                           data={"csrf": csrf.group(1), "idempotency_key": key, **TIMUR}, follow_redirects=False)
        assert sent.status_code == 303, sent.text
    assert len(_ties(app, daniyar)) == 1


def test_a_refused_form_comes_back_with_what_was_typed_and_the_refusal_beside_the_field(
    client: TestClient, app: Hub, daniyar: Referral,
) -> None:
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    refused = _record(client, daniyar, {**TIMUR, "reason": "", "perpetrator.consent.given": "", "perpetrator.consent.by": []})
    assert refused.status_code == 422
    assert 'id="f-minor-perpetrator-reason-error"' in refused.text and "Sadykov" in refused.text
    assert 'id="f-minor-perpetrator-perpetrator.consent-error"' in refused.text  # a whole part missing, said at its legend
    adult = _record(client, daniyar, {**TIMUR, "perpetrator.child.stated_age": "19"})
    assert adult.status_code == 422 and 'role="alert"' in adult.text and "bruises on his back" in adult.text
    assert _ties(app, daniyar) == []


def test_a_body_shown_one_child_only_sees_no_tie_and_a_body_that_may_not_record_has_no_form(
    client: TestClient, app: Hub, daniyar: Referral,
) -> None:
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    elsewhere = {**TIMUR, "perpetrator.child.school_agency": "", "perpetrator.child.school": "School No. 40"}
    assert _record(client, daniyar, elsewhere).status_code == 303
    [tie] = _ties(app, daniyar)
    # The school teaches Daniyar, not Timur: it is shown one boy, and no tie - not even that one is hidden.
    shown = _page(client, daniyar)
    assert "Another minor in the matter" not in shown and tie["reason"] not in shown
    signed_in(client, app, MANAGER)  # the centre managing both is shown both
    assert tie["reason"] in _page(client, daniyar) and "Another minor in the matter" in _page(client, daniyar)
    signed_in(client, app, INSPECTOR)  # the juvenile inspection of the city, by its legal duty
    assert tie["reason"] in _page(client, daniyar)

    signed_in(client, app, SCHOOL_TEACHER)  # sees its school's referral; neither shown the tie nor may record one
    teacher = client.get(f"/ui/referrals/{daniyar.id}?lang=en")
    assert teacher.status_code == 200 and tie["reason"] not in teacher.text and "minor-perpetrator" not in teacher.text
    csrf = CSRF.search(teacher.text)
    assert csrf is not None
    refused = client.post(f"/ui/referrals/{daniyar.id}/act/minor-perpetrator", data={"csrf": csrf.group(1), **TIMUR})
    assert refused.status_code == 403 and len(_ties(app, daniyar)) == 1


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, app: Hub, daniyar: Referral) -> None:
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    refused = client.post(f"/ui/referrals/{daniyar.id}/act/minor-perpetrator", data={"csrf": "0" * 64, **TIMUR})
    assert refused.status_code == 403 and _ties(app, daniyar) == []




def _link(shown: str) -> str | None:
    """Where the tie's link to the other child's referral leads, if the page has one."""
    found = re.search(r'<a href="(/ui/referrals/[0-9a-f-]+)" class="other-referral">', shown)
    return found.group(1) if found else None


def test_the_tie_links_to_the_other_child_s_referral_for_a_body_that_may_open_it(
    client: TestClient, app: Hub, daniyar: Referral,
) -> None:
    tie = _tie_recorded(client, app, daniyar, SCHOOL_PSYCHOLOGIST)
    for reader in (SCHOOL_PSYCHOLOGIST, MANAGER, INSPECTOR):  # the school referred both boys; the centre, the inspection
        signed_in(client, app, reader)
        link = _link(_page(client, daniyar, "ru"))
        assert link == f"/ui/referrals/{tie['other_referral_id']}", reader
        timur = client.get(f"{link}?lang=ru")
        assert timur.status_code == 200 and "ребёнок причинил вред другому несовершеннолетнему" in timur.text, reader
        assert _link(timur.text) == f"/ui/referrals/{daniyar.id}", reader  # and from his, back to Daniyar's


def _heading(shown: str) -> str:
    return shown[shown.index("<h1>") + 4:shown.index("</h1>")]


@pytest.mark.parametrize(("lang", "received"), [("en", "Referral received"), ("ru", "Направление от"),
                                                ("kk", "алынған жолдама")])
def test_the_other_referral_opened_by_a_body_not_shown_the_child_s_name_is_headed_by_when_it_came(
    client: TestClient, app: Hub, daniyar: Referral, lang: str, received: str,
) -> None:
    tie = _tie_recorded(client, app, daniyar, SCHOOL_PSYCHOLOGIST)
    # the school referred Timur: its view of his referral holds when it was received, not his name (P-10)
    held = app.reads.show(SCHOOL_PSYCHOLOGIST, "referral", UUID(tie["other_referral_id"]), purpose="web")
    assert "content" not in held
    heading = _heading(client.get(f"/ui/referrals/{tie['other_referral_id']}?lang={lang}").text)
    assert received in heading and local_time(held["submitted_at"], lang) in heading
    assert "—" not in heading and "Timur" not in heading


def test_a_referral_whose_view_holds_neither_name_nor_day_is_headed_by_the_start_of_its_id(
    client: TestClient, app: Hub, daniyar: Referral, monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown = app.reads.show  # a view as privacy.yaml may make one: the referral's state, nothing of whom or when
    monkeypatch.setattr(app.reads, "show", lambda *a, **k: {k: v for k, v in shown(*a, **k).items()
                                                            if k not in ("content", "submitted_at")})
    signed_in(client, app, MANAGER)
    heading = _heading(_page(client, daniyar, "ru"))
    assert heading == f"Направление {str(daniyar.id)[:8]}"


def test_a_body_shown_the_tie_but_not_the_other_referral_is_given_no_link(
    client: TestClient, app: Hub, daniyar: Referral,
) -> None:
    app.referrals.acknowledge_referral(MANAGER, daniyar.id)
    # the centre refers Timur: the school teaches both boys, but did not refer him
    tie = _tie_recorded(client, app, daniyar, MANAGER)
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    shown = _page(client, daniyar)
    assert tie["reason"] in shown and _link(shown) is None
    assert client.get(f"/ui/referrals/{tie['other_referral_id']}").status_code == 404


def _step(client: TestClient, referral: Referral, typed: dict[str, Any]) -> Any:
    """The tie's step form as the page holds it (its CSRF token, the tie's child and side), filled in and sent."""
    shown = _page(client, referral)
    csrf = CSRF.search(shown)
    bound = re.search(r'<input type="hidden" name="child_id" value="([0-9a-f-]+)">'
                      r'<input type="hidden" name="involvement_id" value="([0-9a-f-]+)">', shown)
    assert csrf is not None and bound is not None
    return client.post(f"/ui/referrals/{referral.id}/act/involvements-steps", follow_redirects=False,
                       data={"csrf": csrf.group(1), "child_id": bound.group(1), "involvement_id": bound.group(2), **typed})


def test_the_school_records_a_step_for_the_child_beside_the_tie(
    client: TestClient, app: Hub, daniyar: Referral, frozen: Any,
) -> None:
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    assert _record(client, daniyar, TIMUR).status_code == 303
    assert "Record a step taken for this child" in _page(client, daniyar)
    helped = _step(client, daniyar, {"step": "psychological_help", "note": "weekly sessions with Daniyar"})
    assert helped.status_code == 303 and helped.headers["location"] == f"/ui/referrals/{daniyar.id}"
    until = frozen.now().date() + timedelta(days=90)
    assert _step(client, daniyar, {"step": "monitoring", "note": "checks every two weeks",
                                   "until": until.isoformat()}).status_code == 303
    [tie] = _ties(app, daniyar)
    assert [(s["step"], s["note"]) for s in tie["steps"]] == [
        ("psychological_help", "weekly sessions with Daniyar"), ("monitoring", "checks every two weeks")]
    shown = _page(client, daniyar, "kk")
    assert "Осы бала үшін жасалған қадамды жазу" in shown and "weekly sessions with Daniyar" in shown
    assert f"{format_date(until, 'medium', locale='kk')}" in shown


@pytest.mark.parametrize(("lang", "label", "hint"), [
    ("en", "Monitoring until", "For a monitoring step only"),
    ("ru", "Наблюдение до", "Только для наблюдения"),
    ("kk", "Бақылаудың соңғы күні", "Тек бақылау қадамы үшін"),
])
def test_the_step_form_says_its_last_day_is_for_monitoring_only(
    client: TestClient, app: Hub, daniyar: Referral, lang: str, label: str, hint: str,
) -> None:
    tie = _tie_recorded(client, app, daniyar, SCHOOL_PSYCHOLOGIST)
    field = f"f-involvements-steps-{tie['id']}-until"
    shown = _page(client, daniyar, lang)
    assert f'<label for="{field}">{label}</label>' in shown
    assert f'id="{field}" name="until" value="" aria-describedby="{field}-help">' in shown
    assert re.search(f'<p class="help" id="{field}-help">{hint}[^<]+</p>', shown)
    refused = _step(client, daniyar, {"step": "monitoring", "note": "checks every two weeks"})
    assert f'aria-invalid="true" aria-describedby="{field}-help {field}-error"' in refused.text  # both read out


def test_a_refused_step_comes_back_at_its_tie_with_what_was_typed(
    client: TestClient, app: Hub, daniyar: Referral,
) -> None:
    tie = _tie_recorded(client, app, daniyar, SCHOOL_PSYCHOLOGIST)
    refused = _step(client, daniyar, {"step": "monitoring", "note": "checks every two weeks"})  # until when?
    assert refused.status_code == 422 and "checks every two weeks" in refused.text
    assert f'id="f-involvements-steps-{tie["id"]}-until-error"' in refused.text
    assert _ties(app, daniyar)[0]["steps"] == []


def test_only_a_body_that_may_record_a_step_for_a_tie_it_is_shown_is_offered_the_form(
    client: TestClient, app: Hub, daniyar: Referral,
) -> None:
    tie = _tie_recorded(client, app, daniyar, SCHOOL_PSYCHOLOGIST)
    ids = {"child_id": str(daniyar.child_id), "involvement_id": tie["id"], "step": "parents_met", "note": "met"}
    csrf = CSRF.search(_page(client, daniyar))
    assert csrf is not None
    assert client.post(f"/ui/referrals/{daniyar.id}/act/involvements-steps",  # a token from elsewhere
                       data={**ids, "csrf": "0" * 64}).status_code == 403
    assert client.post(f"/ui/referrals/{daniyar.id}/act/involvements-steps",  # a form altered to name no tie
                       data={**ids, "csrf": csrf.group(1), "involvement_id": "x"}).status_code == 404
    signed_in(client, app, SCHOOL_TEACHER)  # sees its school's referral, not the tie, and may not record a step
    teacher = _page(client, daniyar)
    assert "involvements-steps" not in teacher
    csrf = CSRF.search(teacher)
    assert csrf is not None
    refused = client.post(f"/ui/referrals/{daniyar.id}/act/involvements-steps", data={**ids, "csrf": csrf.group(1)})
    assert refused.status_code == 403 and _ties(app, daniyar)[0]["steps"] == []
