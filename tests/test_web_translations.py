"""No page in Russian or Kazakh shows English: every message of the catalogues is translated, the catalogues
hold every message the code and the policy files have, and the pages, signed in as several kinds of body
over realistic records, show neither a message id, nor an English word of the catalogue, nor a raw code
or class name (issue 16, decision 0048)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import Hub
from hub.web.i18n import LANGUAGES
from tests.builders import ADMIN, AGENCIES, GTA_OFFICER, MANAGER, SCHOOL_PSYCHOLOGIST, SOCIAL_WORKER
from tests.scenario import drive_to, notices_about, submit

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "hub" / "web" / "locale"
TRANSLATED = [code for code in LANGUAGES if code != "en"]
# What a manual, a decision or a routing rule is cited by, kept as written in every language:
# "cam-csc-manual 8.1.3 (L1741)", "(T2, N01; L1713-1722)", "cam §2.1.6", "docs/decisions/0035", "R-CAM-CSC".
CITATIONS = re.compile(
    r"[a-z]+(?:-[a-z]+)+-(?:manual|evaluation)|docs/decisions/\d+|\b(?:cam|ngo|vse)\b(?=[\s:]*[§LND\d])"
    r"|\bR(?:-[A-Z0-9]+)+\b|\bAnnex\b"
)
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
ADDRESS = "someone@example.kz"
TOO_LONG = "Я" * 2001  # over the 2,000 characters a reason may hold
# a state or role (snake_case), an event's class (CamelCase), an agency's code (kebab-case)
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b|\b[a-z]{2,}-[a-z]{3,}(?:-[a-z0-9]+)*\b")
LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def catalogue(language: str):
    with (LOCALE / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


def _ids(messages) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in messages if m.id}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_translation_in_russian_and_kazakh(language: str) -> None:
    untranslated = [
        m.id for m in catalogue(language)
        if m.id and ("fuzzy" in m.flags or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]
    assert untranslated == []


def test_the_catalogues_hold_every_message_of_the_code_templates_and_policy_files(tmp_path: Path) -> None:
    extracted = tmp_path / "messages.pot"
    subprocess.run([str(ROOT / "scripts" / "i18n"), "extract", str(extracted)], check=True, cwd=ROOT)
    with extracted.open("rb") as pot:
        wanted = _ids(read_po(pot))
    for language in LANGUAGES:
        held = _ids(catalogue(language))
        assert (language, sorted(wanted - held), sorted(held - wanted)) == (language, [], [])


class _Text(HTMLParser):
    """What a reader meets on a page: its text, and the labels a screen reader says."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self.hidden += 1
        self.parts += [value for name, value in attrs if name in ("aria-label", "title", "alt", "placeholder") and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _english_words() -> set[str]:
    """The English words of the catalogue that a translation replaces (a word kept as it is, as "UNICEF" in
    English and nowhere else, or a name, is not one)."""
    translated = " ".join(
        " ".join(m.string) if isinstance(m.string, tuple) else m.string for language in TRANSLATED
        for m in catalogue(language) if m.id
    )
    words = {w.lower() for m in catalogue("en") if m.id for w in LATIN_WORD.findall(" ".join(
        m.id if isinstance(m.id, tuple) else [m.id]))}
    return words - {w.lower() for w in LATIN_WORD.findall(translated)}


@pytest.fixture
def records(app: Hub) -> dict[str, Any]:
    """A referral a school just sent, one acknowledged, a case some steps on (assessments, a meeting, a plan) and
    a notice of it to the GTA."""
    case = drive_to(app, "cp_plan_active", child__given_name="Arman", child__family_name="Bekov")
    return {
        "received": submit(app, actor=SCHOOL_PSYCHOLOGIST),
        "acknowledged": submit(app, child__given_name="Dana", child__family_name="Serikova"),
        "case": case,
        "notice": next(n for n in notices_about(app, case) if n.recipient_agency == GTA_OFFICER.agency),
    }


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _typed(records: dict[str, Any]) -> list[str]:
    """Data, not messages: what people typed (names of children, users and bodies, a referral's own words),
    and each language's own name in the language switcher."""
    typed = [name for _, name, *_ in AGENCIES] + ["English"]
    typed += [actor.user for actor in (MANAGER, SOCIAL_WORKER, GTA_OFFICER, SCHOOL_PSYCHOLOGIST)]
    for referral in (records["received"], records["acknowledged"]):
        typed += [s for s in _strings(referral.content.model_dump(mode="json")) if len(s) > 2]
    typed += ["initial assessment", "social assessment", "minutes", "plan"]  # the case steps' words (tests/scenario.py)
    return typed + [TOO_LONG, ADDRESS]


def _pages(client: TestClient, records: dict[str, Any], language: str) -> Iterator[tuple[str, httpx.Response]]:
    for queue in ("new", "mine", "cases", "due_soon", "overdue", "awaiting", "notices"):
        yield f"inbox {queue}", client.get(f"/ui/inbox?queue={queue}&lang={language}")
    for name in ("received", "acknowledged"):
        yield name, client.get(f"/ui/referrals/{records[name].id}?lang={language}")
    yield "case", client.get(f"/ui/cases/{records['case'].id}?lang={language}")
    yield "portal", client.get(f"/ui/portal?lang={language}")
    yield "notice", client.get(f"/ui/notices/{records['notice'].id}?lang={language}")
    yield "search", client.get(f"/ui/search?q=Bekov&state=cp_plan_active&lang={language}")


def _shown(html: str, typed: list[str]) -> str:
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    for value in sorted(typed, key=len, reverse=True):
        text = text.replace(value, " ")
    return CITATIONS.sub(" ", text)


def _english(text: str, messages: set[str], words: set[str]) -> list[str]:
    return (
        sorted(m for m in messages if m in text)
        + sorted({w for w in LATIN_WORD.findall(text) if w.lower() in words})
        + sorted(set(RAW_CODE.findall(text)))
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_page_in_russian_or_kazakh_shows_english_or_a_raw_code(app: Hub, records, frozen, language: str) -> None:
    app.referrals.acknowledge_referral(MANAGER, records["acknowledged"].id)
    frozen.advance(timedelta(hours=20))  # some clocks due soon, some overdue, some met
    messages = {m.id for m in catalogue("en") if isinstance(m.id, str) and len(m.id) > 3}
    words, typed = _english_words(), _typed(records)
    shown: dict[str, str] = {}
    with TestClient(create_app(app)) as client:
        shown["sign in"] = client.get(f"/ui/login?lang={language}").text
        shown["link sent"] = client.post(f"/ui/login/link?lang={language}", data={"address": ADDRESS}).text
        shown["emailed link"] = client.get(f"/ui/login/link?t=x&lang={language}").text
        shown["bad code"] = client.post(f"/ui/login/code?lang={language}", data={"address": ADDRESS, "code": "1"}).text
        for actor in (MANAGER, GTA_OFFICER, SCHOOL_PSYCHOLOGIST):
            client.post("/ui/login", data={"token": app.tokens.issue_token(ADMIN, actor)})
            pages = dict(_pages(client, records, language))
            shown |= {f"{actor.role}: {name}": page.text for name, page in pages.items()}
            if actor == MANAGER:  # the manager's pages are whole pages, not refusals
                assert {page.status_code for page in pages.values()} == {200}
                assert "Arman Bekov" in pages["case"].text and pages["case"].text.count("<time") > 5
        shown["no such record"] = client.get(f"/ui/cases/{records['received'].id}?lang={language}").text
        client.post("/ui/login", data={"token": app.tokens.issue_token(ADMIN, MANAGER)})
        csrf = CSRF.search(client.get("/ui/inbox").text)
        assert csrf is not None
        refused = client.post(f"/ui/referrals/{records['acknowledged'].id}/decline?lang={language}",
                              data={"csrf": csrf.group(1), "reasons": TOO_LONG})
        assert refused.status_code == 422 and TOO_LONG in refused.text  # what was typed is kept
        shown["a refused decline"] = refused.text
    found = {where: problems for where, html in shown.items() if (problems := _english(_shown(html, typed), messages, words))}
    assert found == {}, found
