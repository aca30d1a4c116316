"""Debian's Chromium driven by Playwright for the browser tests, with the hub's Content-Security-Policy
watched and axe-core's accessibility rules run on a page (the axe-playwright-python package, no network).

In CI (HUB_REQUIRE_SERVICES=1) a missing Chromium fails the test; elsewhere it is skipped.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import service_missing

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# Every page reports what its policy blocked to the console, where the test collects it.
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", event =>
    console.error(`${VIOLATION} ${event.violatedDirective} ${event.blockedURI}`))"""
VIOLATION = "policy violation:"
SERIOUS = ("serious", "critical")
PHONE = {"width": 360, "height": 740}


def watched(browser: Any, violations: list[str], **options: Any) -> Any:
    """A page whose policy violations are appended to ``violations``."""
    page = browser.new_page(**options)
    page.add_init_script(f"const VIOLATION = {VIOLATION!r};\n{REPORT_VIOLATIONS}")
    page.on("console", lambda message: violations.append(message.text) if VIOLATION in message.text else None)
    return page


@pytest.fixture
def browser() -> Iterator[Any]:
    if not shutil.which("chromium") or not Path(CHROMIUM).exists():
        service_missing("Debian's chromium is not installed (scripts/system-packages installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations of WCAG 2.2 A and AA on the page as it is now, one line each
    (rule, impact, the first offending elements)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"], "runOnly": {
        "type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"] if v["impact"] in SERIOUS
    ]


def fits(page: Any) -> bool:
    """No horizontal scroll of the page: nothing wider than the viewport."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def tab_to(page: Any, selector: str, most: int = 60) -> None:
    """Presses Tab until the element ``selector`` names has the focus, as a keyboard user would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} is not reached with the Tab key")
