"""A refusal by a rule of the hub is said in the reader's language (issue 16, decision 0048 §5): every message a
refusal can carry is a catalogue message translated into Russian and Kazakh, a message naming something of the
moment is a template the page translates before filling it in, and the API's problem+json keeps its English."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.api_support import bearer
from tests.builders import MANAGER
from tests.scenario import drive_to
from tests.web_support import post_form, signed_in

ROOT = Path(__file__).resolve().parent.parent
# The functions whose argument scripts/i18n extracts as a message, and which argument: "-k GuardViolation:2".
KEYWORD = re.compile(r"-k (\w+)(?::(\d+))?")
PLAN = {"plan": "Risk: neglect; review in 30 days", "parent_agreed": "yes",
        "items.0.goal": "Aziz is home by 8 pm", "items.0.task": "curfew", "items.0.responsible": "parent"}


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def _keywords() -> dict[str, int]:
    script = (ROOT / "scripts" / "i18n").read_text()
    return {name: int(position or 1) for name, position in KEYWORD.findall(script)}


def _messages() -> Iterator[tuple[str, ast.expr]]:
    """Each message argument of a call scripts/i18n extracts from, with where it is."""
    keywords = _keywords()
    for path in sorted((ROOT / "hub").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            position = keywords.get(str(name))
            if position is not None and len(node.args) >= position:
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node.args[position - 1]


def _translated(language: str) -> set[str]:
    with (ROOT / "hub" / "web" / "locale" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale=language)
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue  # a message with plural forms by its first
            if m.id and all(m.string if isinstance(m.string, tuple) else [m.string]) and "fuzzy" not in m.flags}


def test_every_refusal_of_the_code_is_a_message_translated_into_russian_and_kazakh() -> None:
    """An f-string cannot be a catalogue message (give a template and its ``values``), and a literal message
    must have its Russian and Kazakh translation: a new refusal left in English fails here."""
    found = list(_messages())
    assert {"GuardViolation", "InvalidInput"} <= set(_keywords())
    assert len(found) > 150  # the raise sites under hub/ are seen
    f_strings = [where for where, message in found
                 if isinstance(message, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in message.values)]
    assert f_strings == []
    russian, kazakh = _translated("ru"), _translated("kk")
    literal = {where: message.value for where, message in found
               if isinstance(message, ast.Constant) and isinstance(message.value, str)}
    assert {where: text for where, text in literal.items() if text not in russian or text not in kazakh} == {}


def _refused_plan(client: TestClient, app: Hub, language: str, typed: dict[str, str]) -> str:
    case = drive_to(app, "cp_plan_drafting")
    page = f"/ui/cases/{case.id}"
    signed_in(client, app, MANAGER)
    client.get(f"{page}?lang={language}")  # the reader's language, kept in a cookie
    answer = post_form(client, page, f"{page}/act/protection-plan", typed)
    assert answer.status_code == 422
    assert app.cases.case_for(MANAGER, case.id).state == "cp_plan_drafting"
    return answer.text


@pytest.mark.parametrize(("language", "said"), [
    ("ru", "в каждом пункте плана указывается срок или периодичность"),
    ("kk", "жоспардың әр тармағында мерзімі немесе жиілігі көрсетіледі"),
])
def test_a_plan_item_without_when_is_refused_in_the_reader_s_language(
    client: TestClient, app: Hub, language: str, said: str
) -> None:
    shown = _refused_plan(client, app, language, PLAN)
    assert said in shown and "every item of the plan says by when or how often" not in shown


def test_a_refusal_naming_something_is_translated_before_it_is_filled_in(client: TestClient, app: Hub) -> None:
    shown = _refused_plan(client, app, "ru", {**PLAN, "parent_agreed": "no", "items.0.frequency": "daily"})
    assert "для плана защиты ребёнка нужно письменное согласие родителя его выполнять" in shown
    shown = _refused_plan(client, app, "ru", {**PLAN, "items.0.responsible": "no-such-body",
                                               "items.0.frequency": "daily"})
    assert "no-such-body не является ни зарегистрированным органом, ни одним из: " in shown


def test_a_step_the_state_does_not_allow_names_the_step_and_the_state_in_words(client: TestClient, app: Hub) -> None:
    case = drive_to(app, "cp_plan_drafting")
    page = f"/ui/cases/{case.id}"
    signed_in(client, app, MANAGER)
    client.get(f"{page}?lang=ru")
    answer = post_form(client, page, f"{page}/act/initial-assessment",
                       {"outcome": "significant_harm_concern", "summary": "seen by the nurse"})
    assert answer.status_code == 422
    assert ("«Завершить первичную оценку» нельзя выполнить, пока запись находится в состоянии «составляется план "
            "защиты ребёнка»") in answer.text
    assert "cannot conclude_initial_assessment" not in answer.text


def test_the_api_keeps_its_english_detail_for_the_same_refusals(client: TestClient, app: Hub) -> None:
    headers = {**bearer(app, MANAGER), "Accept-Language": "ru"}
    item = {"goal": "home by 8 pm", "task": "curfew", "responsible": "parent"}
    unsaid = client.post(f"/v1/cases/{drive_to(app, 'cp_plan_drafting').id}/protection-plan", headers=headers,
                         json={"plan": "s", "parent_agreed": True, "items": [item]})
    assert unsaid.status_code == 422
    assert unsaid.json()["detail"] == "every item of the plan says by when or how often"
    unknown = client.post(f"/v1/cases/{drive_to(app, 'cp_plan_drafting').id}/protection-plan", headers=headers,
                          json={"plan": "s", "parent_agreed": True,
                                "items": [{**item, "responsible": "no-such-body", "frequency": "daily"}]})
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == (
        "no-such-body is neither a registered body nor one of parent, legal_representative, carer, child")
