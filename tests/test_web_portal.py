"""An agency's portal: a school sends a referral with the manuals' intake form and sees it among the referrals it
sent with where it stands; a body answers the notices addressed to it; what each sees is what the API shows it."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.builders import GTA_OFFICER, INSPECTOR, MANAGER, SCHOOL_PSYCHOLOGIST
from tests.scenario import notices_about, open_case, submit
from tests.web_support import post_form, signed_in

INTAKE = {
    "referrer.name": "Madina Kim", "referrer.professional_title": "school psychologist",
    "child.given_name": "Dana", "child.family_name": "Seitkali", "child.stated_age": "9", "child.sex": "female",
    "child.city": "750000000", "parents.0.name": "Aigul Seitkali", "parents.0.relationship": "mother",
    "concern.category": "neglect", "concern.description": "Comes to school hungry and without a coat in winter.",
    "concern.urgency": "routine", "consent.given": "yes", "consent.by": ["child", "parent"],
}


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def test_a_school_sends_a_referral_with_the_intake_form_and_follows_it_in_its_portal(
    client: TestClient, app: Hub
) -> None:
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    sent = post_form(client, "/ui/portal/referral", "/ui/portal/referral", INTAKE)
    assert sent.status_code == 303, sent.text
    referral_id = sent.headers["location"].rsplit("/", 1)[1]
    referral = app.referrals.referral_for(MANAGER, UUID(referral_id))
    assert referral.recipient_agency == "cam-almaty" and referral.referrer_agency == "school-almaty-12"
    portal = client.get("/ui/portal").text
    assert f"/ui/referrals/{referral_id}" in portal and "submitted" in portal
    # The referrer's view of its referral holds where it stands, not the child's file (hub/policy/privacy.yaml).
    assert "Dana" not in portal


def test_the_same_form_sent_twice_makes_one_referral(client: TestClient, app: Hub) -> None:
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    page = client.get("/ui/portal/referral").text
    key = page.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]
    first = post_form(client, "/ui/portal/referral", "/ui/portal/referral", {**INTAKE, "idempotency_key": key})
    again = post_form(client, "/ui/portal/referral", "/ui/portal/referral", {**INTAKE, "idempotency_key": key})
    assert first.headers["location"] == again.headers["location"]


def test_a_referral_missing_what_the_manual_requires_comes_back_with_what_was_typed(
    client: TestClient, app: Hub
) -> None:
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    incomplete = {k: v for k, v in INTAKE.items() if k not in ("child.given_name", "child.family_name", "consent.by")}
    refused = post_form(client, "/ui/portal/referral", "/ui/portal/referral", incomplete)
    assert refused.status_code == 422
    assert "Give the child&#39;s name, another name they use, or a description." in refused.text
    assert "Say who gave consent." in refused.text
    assert "Comes to school hungry and without a coat in winter." in refused.text


def test_a_body_sees_only_the_referrals_it_sent(client: TestClient, app: Hub) -> None:
    submit(app, INSPECTOR)
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    assert "Aziz" not in client.get("/ui/portal").text


def test_a_body_acknowledges_and_answers_a_notice_addressed_to_it(client: TestClient, app: Hub) -> None:
    case = open_case(app)
    app.cases.decide_removal(MANAGER, case.id, "The child is not safe at home tonight.")
    notice = next(n for n in notices_about(app, case) if n.recipient_agency == "gta-almaty" and "accept" in n.answers)
    signed_in(client, app, GTA_OFFICER)
    portal = client.get("/ui/portal").text
    assert f"/ui/notices/{notice.id}" in portal
    page = f"/ui/notices/{notice.id}"
    assert post_form(client, page, f"{page}/act/acknowledge", {}).status_code == 303
    answered = post_form(client, page, f"{page}/act/answer", {"answer": "accept", "note": "A foster family tonight."})
    assert answered.status_code == 303, answered.text
    assert "A foster family tonight." in client.get(page).text


def test_a_notice_is_nothing_to_a_body_it_was_not_sent_to(client: TestClient, app: Hub) -> None:
    case = open_case(app)
    app.cases.decide_removal(MANAGER, case.id, "The child is not safe at home tonight.")
    notice = next(n for n in notices_about(app, case) if n.recipient_agency == "gta-almaty")
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    assert client.get(f"/ui/notices/{notice.id}").status_code == 404


def test_the_sender_of_a_notice_may_withdraw_it_and_is_not_offered_to_answer_it(client: TestClient, app: Hub) -> None:
    case = open_case(app)
    app.cases.decide_removal(MANAGER, case.id, "The child is not safe at home tonight.")
    notice = next(n for n in notices_about(app, case) if n.recipient_agency == "gta-almaty")
    signed_in(client, app, MANAGER)
    page = f"/ui/notices/{notice.id}"
    shown = client.get(page).text
    assert "Withdraw a notice sent in error" in shown and "Answer a notice" not in shown
    withdrawn = post_form(client, page, f"{page}/act/withdraw", {"reason": "Sent before the decision was signed."})
    assert withdrawn.status_code == 303, withdrawn.text
    assert '<dd id="notice-state" data-state="withdrawn">withdrawn</dd>' in client.get(page).text
    assert '<dd id="notice-state" data-state="withdrawn">отозвано</dd>' in client.get(f"{page}?lang=ru").text
