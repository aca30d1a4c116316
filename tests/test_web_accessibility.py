"""The pages are usable by everyone (issue 16, decision 0048): axe-core finds no serious or critical WCAG 2.2
AA violation on the sign-in, inbox, referral and case pages in Russian, Kazakh and English, on a desktop and
at 360 px (where nothing scrolls sideways); sign-in and the inbox work with the Tab and Enter keys alone; and
a printed case carries the record without navigation or forms."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hub.aggregates.case_plan import PlanItem
from hub.aggregates.involvement import Setting, Step
from hub.api.app import create_app
from hub.api.server import serving_in_background
from hub.services.attachments import Upload
from hub.services.referrals import ReferralRequest
from tests.browser_support import ARTIFACTS, PHONE, browser, fits, serious_violations, tab_to, watched  # noqa: F401
from tests.builders import ADMIN, MANAGER, referral_content
from tests.scenario import drive_to, submit
from tests.test_web_case_files import PDF

DESKTOP = {"width": 1280, "height": 900}


def _with_plan_and_files(app: Any, case: Any) -> Any:
    """The case with a plan of items, a note and a file: every part of the case page shows (decision 0052)."""
    items = [PlanItem("Arman attends school", "daily attendance check", "school-almaty-12", "M. Kim", frequency="daily"),
             PlanItem("The mother copes", "parenting course", "parent", due=date(2027, 2, 1))]
    app.cases.finalise_protection_plan(MANAGER, case.id, "risk: neglect; review within 30 days", True, None, items)
    app.attachments.add_note(MANAGER, "case", case.id, "Home visit: calm.")
    app.attachments.add_file(MANAGER, "case", case.id, Upload(PDF, "letter.pdf"))
    return case


def _sign_in(page: Any, base_url: str, token: str) -> None:
    page.goto(f"{base_url}/ui/login")
    page.locator("details.token-sign-in summary").click()
    page.locator("#token").fill(token)
    with page.expect_navigation():  # signed in once the inbox has come, before the caller goes elsewhere
        page.locator("details.token-sign-in button").click()


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # pages; TestClient page tests use both
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
def test_no_page_has_a_serious_accessibility_violation_in_any_language(app, browser, viewport) -> None:
    referral = submit(app)
    # a boy harmed by another: the page shows the tie, its steps and a link to Timur's referral, the form that records
    # one (0060) and the form that records a step (0062)
    _, side = app.involvements.record_perpetrator(MANAGER, referral.id, ReferralRequest(
        referral_content(child__given_name="Timur", child__stated_age=14), "a11y"), Setting.SCHOOL, "hit him at school")
    app.involvements.record_step(MANAGER, referral.child_id, side.id, Step.PSYCHOLOGICAL_HELP, "weekly sessions", None)
    case = _with_plan_and_files(app, drive_to(app, "cp_plan_drafting", child__given_name="Arman", child__family_name="Bekov"))
    token = app.tokens.issue_token(ADMIN, MANAGER, None)
    violations: list[str] = []
    found: dict[str, list[str]] = {}
    ARTIFACTS.mkdir(exist_ok=True)
    with serving_in_background(create_app(app)) as base_url:
        page = watched(browser, violations, viewport=viewport)
        for language in ("ru", "kk", "en"):
            page.goto(f"{base_url}/ui/login?lang={language}")
            pages = {"sign in": page.url}
            if language == "ru":
                _sign_in(page, base_url, token)
            pages |= {
                "inbox": f"{base_url}/ui/inbox?queue=new&lang={language}",
                "cases": f"{base_url}/ui/inbox?queue=cases&lang={language}",
                "referral": f"{base_url}/ui/referrals/{referral.id}?lang={language}",
                "case": f"{base_url}/ui/cases/{case.id}?lang={language}",
                "portal": f"{base_url}/ui/portal?lang={language}",  # states in words (0062)
                "search": f"{base_url}/ui/search?q=Bekov&lang={language}",
            }
            for name, url in pages.items():
                if name != "sign in":
                    page.goto(url)
                if name == "case":  # the note and upload forms too, folded away until asked for
                    page.locator("section.files details").evaluate_all("all => all.forEach(d => d.open = true)")
                if name == "referral":  # the forms recording the alleged perpetrator and a step, folded away too
                    page.locator("details.command").evaluate_all("all => all.forEach(d => d.open = true)")
                problems = serious_violations(page) + ([] if fits(page) else ["the page scrolls sideways"])
                if problems:
                    found[f"{language} {name}"] = problems
            page.screenshot(path=str(ARTIFACTS / f"case-{language}-{viewport['width']}.png"), full_page=True)
    assert found == {}
    assert violations == []


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # pages; TestClient page tests use both
def test_sign_in_and_the_inbox_with_the_keyboard_alone(app, browser) -> None:
    submit(app)
    token = app.tokens.issue_token(ADMIN, MANAGER, None)
    with serving_in_background(create_app(app)) as base_url:
        page = browser.new_page(viewport=PHONE)
        page.goto(f"{base_url}/ui/login?lang=en")
        tab_to(page, "details.token-sign-in summary")
        page.keyboard.press("Enter")
        tab_to(page, "#token")
        page.keyboard.type(token)
        page.keyboard.press("Enter")
        page.wait_for_url("**/ui/inbox")
        tab_to(page, 'a[href="/ui/inbox?queue=new"]')
        page.keyboard.press("Enter")
        page.wait_for_url("**queue=new")
        tab_to(page, 'a[href^="/ui/referrals/"]')
        page.keyboard.press("Enter")
        page.wait_for_url("**/ui/referrals/**")
        tab_to(page, 'form[action$="/acknowledge"] button')
        with page.expect_navigation():  # the form's answer is this page again: its URL cannot tell it has come
            page.keyboard.press("Enter")
        assert page.locator("#referral-state").inner_text() == "acknowledged"


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # pages; TestClient page tests use both
def test_a_printed_case_carries_the_record_without_navigation_or_forms(app, browser) -> None:
    case = drive_to(app, "intake")
    planned = _with_plan_and_files(app, drive_to(app, "cp_plan_drafting"))
    token = app.tokens.issue_token(ADMIN, MANAGER, None)
    with serving_in_background(create_app(app)) as base_url:
        page = browser.new_page(viewport=DESKTOP)
        _sign_in(page, base_url, token)
        page.goto(f"{base_url}/ui/cases/{case.id}?lang=en")
        assert page.locator("form.assign").is_visible()
        page.emulate_media(media="print")
        assert page.locator("#case-state").is_visible() and page.locator("table.clocks").is_visible()
        hidden = ["form.assign", "header nav", "text=Back to the inbox", "text=Sign out"]
        assert [selector for selector in hidden if page.locator(selector).first.is_visible()] == []
        page.goto(f"{base_url}/ui/cases/{planned.id}?lang=en")
        page.emulate_media(media="print")
        assert page.locator("table.plan-items").is_visible() and page.locator("table.files").is_visible()
        assert page.locator("table.plan-items").get_by_text("daily attendance check").is_visible()
        assert not page.locator('form[action$="/files"]').is_visible()
