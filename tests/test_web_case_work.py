"""Case work in the page: every command a manager has in the API is a form of the case page, validated by the
API's own body model, refused with what was typed kept and the refusal beside its field; the page shows what
each step recorded, in words, and who was told."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from hub.aggregates.case_vocabulary import MeetingKind
from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.builders import MANAGER, SCHOOL_PSYCHOLOGIST, SOCIAL_WORKER
from tests.scenario import drive_to, notices_about, open_case
from tests.web_support import post_form, signed_in


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def test_a_manager_concludes_the_initial_assessment_in_the_page_and_reads_it_back_in_words(
    client: TestClient, app: Hub
) -> None:
    case = drive_to(app, "initial_assessment")
    page = f"/ui/cases/{case.id}"
    signed_in(client, app, MANAGER)
    answer = post_form(client, page, f"{page}/act/initial-assessment", {
        "outcome": "significant_harm_concern", "summary": "Bruises seen by the school nurse; the child is afraid.",
    })
    assert answer.status_code == 303
    assert app.cases.case_for(MANAGER, case.id).state == "social_assessment"
    shown = client.get(page).text
    assert "The initial assessment was concluded." in shown
    assert "Bruises seen by the school nurse; the child is afraid." in shown
    assert "Conclude the social assessment" in shown  # the next step's form
    assert "Conclude the initial assessment" not in shown  # a step of another state is not offered
    assert "Report an emergency" in shown  # allowed at any time


def test_a_refused_form_keeps_what_was_typed_and_says_what_is_wrong_beside_the_field(
    client: TestClient, app: Hub
) -> None:
    case = drive_to(app, "initial_assessment")
    page = f"/ui/cases/{case.id}"
    signed_in(client, app, MANAGER)
    answer = post_form(client, page, f"{page}/act/initial-assessment", {"outcome": "", "summary": "x" * 20_001})
    assert answer.status_code == 422
    assert 'id="f-initial-assessment-outcome-error"' in answer.text and "This field is required." in answer.text
    assert "This text is too long." in answer.text and "x" * 20_001 in answer.text
    assert app.cases.case_for(MANAGER, case.id).state == "initial_assessment"


def test_a_rule_of_the_manual_refuses_in_words_and_the_case_stays(client: TestClient, app: Hub) -> None:
    case = drive_to(app, "cp_plan_drafting")
    page = f"/ui/cases/{case.id}"
    signed_in(client, app, MANAGER)
    answer = post_form(client, page, f"{page}/act/close", {})
    assert answer.status_code in (409, 422)
    assert 'role="alert"' in answer.text
    assert app.cases.case_for(MANAGER, case.id).state == "cp_plan_drafting"


def test_only_the_forms_the_role_may_run_are_offered(client: TestClient, app: Hub) -> None:
    case = drive_to(app, "initial_assessment")
    page = f"/ui/cases/{case.id}"
    signed_in(client, app, SOCIAL_WORKER)
    shown = client.get(page).text
    assert "Report an emergency" in shown and "Conclude the initial assessment" not in shown
    refused = post_form(client, page, f"{page}/act/initial-assessment",
                        {"outcome": "no_further_action", "summary": "nothing"})
    assert refused.status_code == 403
    assert app.cases.case_for(MANAGER, case.id).state == "initial_assessment"


def test_a_body_outside_the_centre_is_offered_nothing_of_the_case(client: TestClient, app: Hub) -> None:
    case = open_case(app)
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    assert client.get(f"/ui/cases/{case.id}").status_code == 404


def test_the_staff_picker_offers_the_centres_staff_who_hold_a_working_token(client: TestClient, app: Hub) -> None:
    case = open_case(app)
    signed_in(client, app, SOCIAL_WORKER)  # d.seitkali now holds a token of the centre
    signed_in(client, app, MANAGER)
    shown = client.get(f"/ui/cases/{case.id}").text
    assert '<option value="d.seitkali">' in shown
    assert '<option value="m.kim">' not in shown  # the school's psychologist is not the centre's


def test_the_case_page_says_who_was_told_and_where_each_notice_stands(client: TestClient, app: Hub) -> None:
    case = drive_to(app, "social_assessment")
    told = notices_about(app, case)
    assert told
    signed_in(client, app, MANAGER)
    shown = client.get(f"/ui/cases/{case.id}").text
    assert "Who was told" in shown
    assert all(n.rule in shown for n in told)


def test_a_plan_starts_from_what_the_manual_says_a_plan_must_hold(client: TestClient, app: Hub) -> None:
    case = drive_to(app, "cp_plan_drafting")
    signed_in(client, app, MANAGER)
    shown = client.get(f"/ui/cases/{case.id}").text
    assert "Short-term and long-term objectives:" in shown
    assert "Actions (services), persons responsible and time limits:" in shown


def test_the_professional_discussion_is_a_field_of_the_meeting_shown_to_the_centre_and_the_members_alone(
    client: TestClient, app: Hub, frozen
) -> None:
    case = drive_to(app, "cp_meeting_pending")
    app.cases.schedule_meeting(SOCIAL_WORKER, case.id, uuid.uuid4(), MeetingKind.CHILD_PROTECTION_MEETING,
                               frozen.now() + timedelta(days=1), "CAM", ["school-almaty-12"])
    frozen.advance(timedelta(days=2))
    page = f"/ui/cases/{case.id}"
    signed_in(client, app, MANAGER)
    assert "Professional discussion (for the professional members only, never for the family)" in client.get(page).text
    answer = post_form(client, page, f"{page}/act/protection-meeting", {
        "recommendation": "child_protection_plan", "minutes": "Weekly visits agreed.",
        "professional_discussion": "The mother's partner was not believed by the police.",
    })
    assert answer.status_code == 303, answer.text
    assert "The mother&#39;s partner was not believed by the police." in client.get(page).text
    [minutes] = [n for n in notices_about(app, case) if n.rule == "cam:N31"]
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    assert "The mother&#39;s partner was not believed" in client.get(f"/ui/notices/{minutes.id}").text
