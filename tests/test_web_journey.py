"""A whole case in the browser, once in each of Russian, Kazakh and English: a school's psychologist sends a
referral with the portal's intake form; the centre's manager acknowledges and accepts it, allocates a social
worker, concludes the initial and social assessments, convenes the child protection meeting inviting the
school, which acknowledges in its portal the first notice it was sent; the meeting asks for a plan, the plan is finalised and
reviewed, and the review closes the case. Every page visited is checked with axe-core (no serious or critical
violation) and photographed under test-artifacts/.

The steps find their controls by the forms' addresses and the fields' names, never by their words, so the
same walk runs in every language.
"""

from __future__ import annotations

from uuid import UUID

import pytest

from hub.api.app import create_app
from hub.api.server import serving_in_background
from tests.browser_support import ARTIFACTS, browser, serious_violations, watched  # noqa: F401 - browser is a fixture
from tests.builders import ADMIN, MANAGER, SCHOOL_PSYCHOLOGIST
from tests.scenario import case, notices_about


class Walk:
    """One person's browser in one language; each page it reaches is checked and photographed."""

    def __init__(self, browser, base_url: str, lang: str, who: str, violations: list[str]) -> None:
        self.page = watched(browser, violations, locale={"ru": "ru-RU", "kk": "kk-KZ", "en": "en-GB"}[lang])
        self.base_url, self.lang, self.who = base_url, lang, who
        self.steps = 0
        self.blocking: list[str] = []

    def seen(self, step: str) -> None:
        self.steps += 1
        self.page.wait_for_load_state()
        assert self.page.locator("html").get_attribute("lang") == self.lang
        self.blocking += [f"{step}: {violation}" for violation in serious_violations(self.page)]
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"journey-{self.lang}-{self.who}-{self.steps:02d}-{step}.png"),
                             full_page=True)

    def sign_in(self, token: str) -> None:
        self.page.goto(f"{self.base_url}/ui/login?lang={self.lang}")
        self.seen("sign-in")
        self.page.click("details.token-sign-in summary")  # a machine's or an administrator's way in, folded away
        self.page.fill("#token", token)
        with self.page.expect_navigation():
            self.page.click("details.token-sign-in form button[type=submit]")
        self.seen("inbox")

    def go(self, path: str, step: str) -> None:
        self.page.goto(f"{self.base_url}{path}")
        self.seen(step)

    def act(self, action: str, step: str, **fields: str | bool) -> None:
        """Fills the case form whose address ends in ``action`` and sends it."""
        form = self.page.locator(f'form[action$="/{action}"]')
        for name, value in fields.items():
            control = form.locator(f'[name="{name}"]').first
            tag = control.evaluate("element => element.tagName + ':' + (element.type || '')")
            if value is True:
                control.check()
            elif tag.startswith("SELECT"):
                control.select_option(str(value))
            else:
                control.fill(str(value))
        # The form's answer is often the page it was sent from: the page is read once the new one has come.
        with self.page.expect_navigation():
            form.locator("button[type=submit]:not([name=add_row])").click()  # the command's, not "Add a row"
        self.seen(step)

    def state(self) -> str:
        return self.page.locator("#case-state").get_attribute("data-state") or ""  # the code; the page shows its name


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # pages; TestClient page tests use both
@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_a_whole_case_from_a_schools_referral_to_closure_in_the_browser(app, browser, lang):
    violations: list[str] = []
    with serving_in_background(create_app(app)) as base_url:
        school = Walk(browser, base_url, lang, "school", violations)
        school.sign_in(app.tokens.issue_token(ADMIN, SCHOOL_PSYCHOLOGIST, None))
        school.go("/ui/portal", "portal")
        school.go("/ui/portal/referral", "referral-form")
        for field, value in {
            "referrer-name": "Madina Kim", "referrer-professional_title": "school psychologist",
            "child-given_name": "Dana", "child-family_name": "Seitkali", "child-stated_age": "9",
            "parents-0-name": "Aigul Seitkali", "concern-description": "Comes to school hungry, bruises on the arms.",
        }.items():
            school.page.fill(f"#r-{field}", value)
        school.page.select_option("#r-child-city", "750000000")
        school.page.select_option("#r-concern-category", "neglect")
        school.page.check("#r-consent-given")
        school.page.check("#r-consent-by-1")  # the child
        school.page.click("form.intake button[type=submit]")
        school.seen("referral-sent")
        referral_path = school.page.url.removeprefix(base_url)
        assert referral_path.startswith("/ui/referrals/")

        manager = Walk(browser, base_url, lang, "manager", violations)
        manager.sign_in(app.tokens.issue_token(ADMIN, MANAGER, None))
        manager.go(referral_path, "referral")
        manager.page.click('form[action$="/acknowledge"] button')
        manager.seen("acknowledged")
        manager.page.click('form[action$="/accept"] button')
        manager.seen("case-opened")
        assert manager.state() == "intake"
        case_path = manager.page.url.removeprefix(base_url)
        manager.page.fill("#social_worker", "d.seitkali")
        manager.page.click("form.assign button[type=submit]")
        manager.seen("social-worker")
        manager.act("initial-assessment", "initial-assessment", outcome="significant_harm_concern",
                    summary="Bruises and hunger seen over two weeks; the child is afraid to go home.")
        manager.act("social-assessment", "social-assessment", conclusion="child_protection_meeting",
                    summary="The mother works nights; the child is alone and unfed.")
        assert manager.state() == "cp_meeting_pending"
        manager.act("meetings", "meeting-scheduled", meeting="child_protection_meeting", at="2026-03-05T10:00",
                    venue="CAM Almaty, room 3", invitees="school-almaty-12")

        school.go("/ui/portal", "portal-invited")
        school.page.locator('a[href^="/ui/notices/"]').first.click()
        school.seen("invitation")
        school.page.click('form[action$="/act/acknowledge"] button')
        school.seen("invitation-acknowledged")

        manager.go(case_path, "case")
        manager.act("protection-meeting", "meeting-held", recommendation="child_protection_plan",
                    minutes="The school and the centre agree on daily meals and a home visit each week.")
        manager.act("protection-plan", "plan", plan="Risk: hunger at home. Review within 30 days.", parent_agreed=True,
                    **{"items.0.goal": "The child eats every day", "items.0.task": "school meals, breakfast and lunch",
                       "items.0.responsible": "school-almaty-12", "items.0.responsible_person": "Madina Kim",
                       "items.0.frequency": "every school day"})
        assert manager.state() == "cp_plan_active"
        assert manager.page.locator("table.plan-items").get_by_text("school meals, breakfast and lunch").is_visible()
        school.go("/ui/portal", "portal-plan")  # a member and responsible: the plan (N32) and its task (hub:PLAN-ACTIONS)
        assert school.page.get_by_text("school meals, breakfast and lunch").count() == 0  # in a notice, not the list
        [task] = [n for n in notices_about(app, case(app, UUID(case_path.rsplit("/", 1)[1]))) if n.rule == "hub:PLAN-ACTIONS"]
        school.go(f"/ui/notices/{task.id}", "plan-task")
        assert school.page.get_by_text("school meals, breakfast and lunch").first.is_visible()
        manager.act("protection-plan-reviews", "plan-reviewed", outcome="no_longer_necessary",
                    minutes="Three months without concern.")
        assert manager.state() == "closed"
        assert school.blocking + manager.blocking == []
    assert violations == []
