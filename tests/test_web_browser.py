"""End to end in a real browser: a manager signs in, sees a new referral, accepts it, and sees the deadline change;
all under the hub's Content-Security-Policy, which the pages never break; and the API's documentation pages work
with nothing loaded from outside the hub.

Debian's Chromium, driven by Playwright's Python package (no browser download): tests/browser_support.py.
"""

from __future__ import annotations

import pytest

from hub.api.app import create_app
from hub.api.server import serving_in_background
from tests.browser_support import ARTIFACTS, browser, watched  # noqa: F401 - browser is a fixture
from tests.builders import ADMIN, MANAGER
from tests.scenario import submit


def test_a_manager_accepts_a_new_referral_and_sees_the_deadline_change(app, browser):
    referral = submit(app)
    token = app.tokens.issue_token(ADMIN, MANAGER, None)
    ARTIFACTS.mkdir(exist_ok=True)
    violations: list[str] = []
    with serving_in_background(create_app(app)) as base_url:
        page = watched(browser, violations, locale="ru-RU")
        signing_in = page.goto(f"{base_url}/ui/login?lang=en")
        assert "script-src 'self'" in signing_in.headers["content-security-policy"]
        page.get_by_text("Sign in with an access token (administrators)").click()
        page.get_by_label("Access token").fill(token)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="New referrals").click()
        row = page.get_by_role("row", name="Aziz Karimov")
        referral_deadline = row.locator("td").nth(2).inner_text()
        assert referral_deadline
        page.get_by_role("link", name="Aziz Karimov").click()
        # Each form's answer is the page it was sent from: the next step waits for it to have come.
        with page.expect_navigation():
            page.get_by_role("button", name="Acknowledge receipt").click()
        with page.expect_navigation():
            page.get_by_role("button", name="Accept and open a case").click()
        assert page.locator("#case-state").inner_text() == "intake"
        page.get_by_label("Social worker", exact=True).fill("d.seitkali")
        with page.expect_navigation():
            page.get_by_role("button", name="Allocate a social worker").click()
        assert page.locator("#case-state").inner_text() == "initial assessment"
        for action in ("GTA notified", "Referrer told the referral was received", "Independent supporter requested",
                       "Earlier referrals and files checked"):
            with page.expect_navigation():
                page.get_by_role("button", name=f"Mark as done: {action}").click()
        page.screenshot(path=str(ARTIFACTS / "case-after-accept.png"), full_page=True)
        page.get_by_role("link", name="Back to the inbox").click()
        page.get_by_role("link", name="All cases").click()
        case_deadline = page.get_by_role("row", name="Aziz Karimov").locator("td").nth(2).inner_text()
        page.screenshot(path=str(ARTIFACTS / "inbox-after-accept.png"), full_page=True)
        assert case_deadline and case_deadline != referral_deadline
        page.goto(f"{base_url}/ui/inbox?queue=cases&lang=kk")
        assert page.locator("html").get_attribute("lang") == "kk"
        assert page.get_by_role("link", name="Барлық істер").is_visible()
    assert app.store.repository.get(referral.id).state == "accepted"
    assert violations == []


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # pages; TestClient page tests use both
@pytest.mark.parametrize(("path", "title"), [("/docs", ".swagger-ui .info .title"), ("/redoc", "h1")])
def test_the_api_documentation_works_with_nothing_from_outside_the_hub(app, browser, path, title):
    violations: list[str] = []
    with serving_in_background(create_app(app)) as base_url:
        page = watched(browser, violations)
        loaded = []
        page.on("response", lambda response: loaded.append(response.url))
        page.goto(f"{base_url}{path}")
        assert page.locator(title).first.inner_text().startswith("Referral Hub")
        page.wait_for_load_state("networkidle")
    assert loaded and all(url.startswith((base_url, "blob:")) for url in loaded)
    # The policy blocked nothing the hub serves; on /redoc, ReDoc's attempt to show its makers' logo from their
    # CDN is blocked, as anything from elsewhere is meant to be.
    assert [v for v in violations if "cdn.redoc.ly" not in v] == []
