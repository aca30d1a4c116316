"""A real browser for the pages' tests: Debian's Chromium driven by Playwright's Python package (no browser
download), and each page's Content-Security-Policy violations collected. In CI (HUB_REQUIRE_SERVICES=1) a
missing Chromium fails the test; elsewhere it is skipped."""

from __future__ import annotations

import shutil
from pathlib import Path

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


def watched(browser, violations: list[str], **options):
    """A page whose policy violations are appended to ``violations``."""
    page = browser.new_page(**options)
    page.add_init_script(f"const VIOLATION = {VIOLATION!r};\n{REPORT_VIOLATIONS}")
    page.on("console", lambda message: violations.append(message.text) if VIOLATION in message.text else None)
    return page


@pytest.fixture
def browser():
    if not shutil.which("chromium") or not Path(CHROMIUM).exists():
        service_missing("Debian's chromium is not installed (scripts/system-packages installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()
