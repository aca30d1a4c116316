"""Case work in the page: every command a manager has in the API is a form of the case page, validated by the
API's own body model, refused with what was typed kept and the refusal beside its field; the page shows what
each step recorded, in words, and who was told."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from hub.aggregates.case_plan import PlanItem
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
    assert 'name="items.2.goal"' in shown and 'name="items.3.goal"' not in shown  # three rows of items to start


def test_a_manager_enters_the_plan_s_items_row_by_row_and_the_case_page_shows_them_as_a_table(
    client: TestClient, app: Hub
) -> None:
    case = drive_to(app, "cp_plan_drafting")
    page = f"/ui/cases/{case.id}"
    signed_in(client, app, MANAGER)
    typed = {"plan": "Risk: neglect; review in 30 days", "parent_agreed": "yes",
             "items.0.goal": "Aziz attends school", "items.0.task": "daily attendance check",
             "items.0.responsible": "school-almaty-12", "items.0.responsible_person": "M. Kim",
             "items.0.frequency": "daily",
             "items.2.goal": "The mother copes", "items.2.task": "parenting course",
             "items.2.responsible": "ngo-rodnik", "items.2.due": "2027-02-01"}
    grown = post_form(client, page, f"{page}/act/protection-plan", {**typed, "add_row": "yes", "more_rows": "0"})
    assert grown.status_code == 200 and app.cases.case_for(MANAGER, case.id).state == "cp_plan_drafting"
    assert 'name="items.3.goal"' in grown.text and "daily attendance check" in grown.text  # a row more, typed kept
    assert '<option value="school-almaty-12" selected>' in grown.text  # the bodies of the region to choose from

    missing = post_form(client, page, f"{page}/act/protection-plan",
                        {**typed, "items.3.goal": "home by 8 pm", "items.3.task": "curfew",
                         "items.3.responsible": "parent", "more_rows": "1"})
    assert missing.status_code == 422 and "every item of the plan says by when or how often" in missing.text
    assert "home by 8 pm" in missing.text

    done = post_form(client, page, f"{page}/act/protection-plan", {**typed, "more_rows": "1"})  # row 2 left empty
    assert done.status_code == 303
    [school, ngo] = app.reads.show(MANAGER, "case", case.id)["plan"]["items"]
    assert (school["responsible_person"], ngo["due"]) == ("M. Kim", "2027-02-01")
    shown = client.get(page).text
    table = shown[shown.index('<table class="plan-items stacked">'):]
    assert "Aziz attends school" in table and "School No. 12" in table and "(M. Kim)" in table
    assert "parenting course" in table and "Feb 1, 2027" in table


def test_an_amendment_starts_from_the_plan_in_force_with_a_row_for_each_item(client: TestClient, app: Hub) -> None:
    case = drive_to(app, "cp_plan_drafting")
    items = [PlanItem(f"goal {n}", f"task {n}", "parent", frequency="weekly") for n in range(1, 5)]
    app.cases.finalise_protection_plan(MANAGER, case.id, "the plan in force", True, None, items)
    app.cases.review_protection_plan(MANAGER, case.id, "amend", "a fifth task is needed", None)
    signed_in(client, app, MANAGER)
    shown = client.get(f"/ui/cases/{case.id}").text
    form = shown[shown.index('action="/ui/cases/' + str(case.id) + '/act/plan-amendments"'):]
    assert "the plan in force" in form and 'value="task 4"' not in form  # tasks are in text areas
    assert 'name="items.3.task"' in form and ">task 4</textarea>" in form and 'name="items.4.goal"' not in form
    assert 'name="more_rows" value="1"' in form


def test_a_refused_row_is_shown_again_first_with_its_refusal_beside_it(client: TestClient, app: Hub) -> None:
    case = drive_to(app, "cp_plan_drafting")
    page = f"/ui/cases/{case.id}"
    signed_in(client, app, MANAGER)
    refused = post_form(client, page, f"{page}/act/protection-plan", {
        "plan": "summary", "parent_agreed": "yes", "items.2.goal": "x" * 2001, "items.2.task": "visits",
        "items.2.responsible": "parent", "items.2.frequency": "weekly"})
    assert refused.status_code == 422
    assert 'id="f-protection-plan-items.0.goal-error"' in refused.text  # the body's first item, the form's first row
    first_row = refused.text[refused.text.index('name="items.0.task"'):refused.text.index('name="items.1.goal"')]
    assert ">visits</textarea>" in first_row


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
