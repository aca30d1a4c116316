"""Erasure by crypto-shredding: the events and their chain stay; the child's personal values are gone everywhere."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.aggregates.erasure import ERASED_VALUE
from hub.api.app import create_app
from hub.bootstrap import Hub, bootstrap
from hub.crypto.keys import ChildErased
from hub.errors import GuardViolation, InvalidInput
from tests.api_support import bearer
from tests.builders import INSPECTOR, MANAGER
from tests.conftest import POSTGRES_URL, TEST_MASTER_KEY
from tests.scenario import drive_to, rebuilt_from_nothing, submit

REASON = "request of the legal representative under the Law on personal data, art. 26"
# Values nobody else in the log has, so finding one anywhere means it survived.
CHILD = {
    "child__given_name": "Zhanelya",
    "child__family_name": "Kurmangaliyeva",
    "child__migration_status": "arrived from Osh with a forged birth certificate",
    "concern__description": "burns on both forearms, reported by the neighbour Saule",
    "parents": [{"name": "Yerlan Kurmangaliyev", "relationship": "father", "address": "Tulpannaya street 17"}],
}
SECRETS = ["Zhanelya", "Kurmangaliyev", "forged birth certificate", "burns on both forearms", "Tulpannaya"]


@pytest.fixture
def erased(app):
    case = drive_to(app, "closed", **CHILD)
    assert _found(app.reads.show(MANAGER, "referral", case.referral_ids[0])), "the test must see the values before"
    app.erasure.erase(MANAGER, case.child_id, REASON)
    return case


def _found(anything: Any) -> list[str]:
    text = json.dumps(anything, default=str) if not isinstance(anything, str) else anything
    return [s for s in SECRETS if s in text]


def _every_value_in_the_database(app: Hub, store_url: str) -> list[str]:
    """Every cell of every table, as text (bytes decoded leniently), read with the database's own client."""
    cells: list[str] = []
    if store_url.startswith("sqlite"):
        path = urlparse(store_url).path
        with sqlite3.connect(path) as db:
            for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
                for row in db.execute(f'SELECT * FROM "{table}"'):
                    cells += [_text(v) for v in row]
        for file in Path(path).parent.glob(Path(path).name + "*"):  # the file, its WAL and journal
            cells.append(file.read_bytes().decode("latin-1"))
    else:
        schema = parse_qs(urlparse(store_url).query)["schema"][0]
        with psycopg.connect(POSTGRES_URL) as db:
            tables = db.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema])
            for (table,) in tables.fetchall():
                for row in db.execute(f'SELECT * FROM "{schema}"."{table}"').fetchall():
                    cells += [_text(v) for v in row]
    return cells


def _text(value: Any) -> str:
    return bytes(value).decode("utf-8", "replace") if isinstance(value, (bytes, memoryview)) else str(value)


def test_no_personal_value_is_left_in_any_table_or_file(app, store_url, erased):
    assert _found("\n".join(_every_value_in_the_database(app, store_url))) == []


def test_even_the_master_key_reads_no_personal_value_from_the_events(app, store_url, erased):
    fresh = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    events = [fresh.store.mapper.to_domain_event(n) for n in fresh.store.recorder.select_notifications(start=1, limit=100_000)]
    assert len(events) == fresh.store.recorder.max_notification_id()  # every event is still there
    assert _found([vars(e) for e in events]) == []
    fresh.close()


def test_the_chain_still_verifies(app, erased):
    assert app.integrity.verify_log().ok


def test_the_views_and_the_api_show_the_records_as_erased(app, erased):
    rows = app.views.store.rows_of_child(erased.child_id)
    assert rows and _found([r.body for r in rows]) == []
    with TestClient(create_app(app)) as http:
        response = http.get(f"/v1/records/case/{erased.id}", headers=bearer(app, MANAGER))
        assert response.status_code == 200
        case = response.json()
        assert case["state"] == "closed" and case["social_worker"] == ERASED_VALUE  # what happened stays, not who
        referral = http.get(f"/v1/records/referral/{erased.referral_ids[0]}", headers=bearer(app, MANAGER)).json()
        assert referral["content"]["child"]["given_name"] == ERASED_VALUE
        assert _found(referral) == [] and _found(case) == []


def test_a_projection_rebuilt_from_nothing_shows_the_same_erased_views(app, store_url, erased):
    before = {(r.agency, r.record_type, r.record_id): r.body for r in app.views.store.rows_of_child(erased.child_id)}
    rebuilt = rebuilt_from_nothing(app, store_url)
    after = {(r.agency, r.record_type, r.record_id): r.body for r in rebuilt.views.store.rows_of_child(erased.child_id)}
    assert after == before and _found(list(after.values())) == []
    rebuilt.close()


def test_nothing_new_can_be_written_about_an_erased_child(app, erased):
    with pytest.raises(InvalidInput) as unknown:  # as unknown as a made-up child: nobody may see it any more
        submit(app, child_id=erased.child_id)
    assert unknown.value.problem_type == "unknown-child"
    with pytest.raises(ChildErased):
        app.cases.case_for(MANAGER, erased.id)


def test_a_record_found_to_be_the_same_child_is_erased_with_it(app):
    first = drive_to(app, "closed", **CHILD)
    duplicate = submit(app, actor=INSPECTOR, **CHILD)
    app.referrals.acknowledge_referral(MANAGER, duplicate.id)
    onward = app.referrals.link_to_child(MANAGER, duplicate.id, first.child_id)
    app.referrals.decline_referral(MANAGER, onward.id, ["not a CABM"])
    erasure = app.erasure.erase(MANAGER, first.child_id, REASON)
    assert set(erasure.child_ids) == {first.child_id, duplicate.child_id}
    assert all(app.store.child_keys.is_shredded(c) for c in erasure.child_ids)


def test_a_child_with_an_open_case_is_not_erased_and_nothing_is_recorded(app):
    case = drive_to(app, "care_plan_active", **CHILD)
    position = app.store.recorder.max_notification_id()
    with pytest.raises(GuardViolation) as refused:
        app.erasure.erase(MANAGER, case.child_id, REASON)
    assert refused.value.rule == "erasure-open-case"
    assert app.store.recorder.max_notification_id() == position
    assert not app.store.child_keys.is_shredded(case.child_id)


def test_an_erasure_needs_a_reason_an_auditor_can_judge(app):
    case = drive_to(app, "closed")
    with pytest.raises(GuardViolation) as refused:
        app.erasure.erase(MANAGER, case.child_id, "asked")
    assert refused.value.rule == "erasure-reason"


def test_erasing_twice_finds_the_first_erasure(app, erased):
    again = app.erasure.erase(MANAGER, erased.child_id, REASON)
    assert again.child_ids == [erased.child_id]


def test_reads_of_an_erased_child_are_still_recorded(app, erased):
    app.reads.show(MANAGER, "case", erased.id)
    app.views.catch_up()
    reads = app.views.store.reads("child_id = ?", [str(erased.child_id)])
    assert reads[-1].record_id == str(erased.id) and reads[-1].outcome == "granted"
