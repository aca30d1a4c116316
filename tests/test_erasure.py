"""Erasure by crypto-shredding: the events and their chain stay; the child's personal values are gone everywhere."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient

from hub.aggregates.erasure import ERASED_VALUE, Erasure, erasure_id_for
from hub.api.app import create_app
from hub.bootstrap import Hub
from hub.crypto.keys import ChildErased
from hub.errors import GuardViolation, InvalidInput
from tests.api_support import bearer
from tests.builders import INSPECTOR, MANAGER
from tests.conftest import POSTGRES_URL, service_missing
from tests.erasure_story import (
    CYRILLIC,
    FAMILY,
    LATIN,
    REASON,
    ErasedStory,
    erase,
    erased_story,
    found,
    found_in,
    named,
    named_story,
    spelled_in,
)
from tests.scenario import drive_to, rebuilt_from_nothing, submit

# The same child as tests/erasure_story.py's, in a smaller story of its own.
CHILD = {
    "child__given_name": LATIN,
    "child__family_name": FAMILY,
    "child__aliases": [CYRILLIC],
    "concern__description": named("burns on both forearms, reported by the neighbour"),
}


@pytest.fixture
def erased(app: Hub) -> ErasedStory:
    return erased_story(app)


def _found(anything: Any) -> list[str]:
    return found(anything)


def database_bytes(app: Hub, store_url: str) -> dict[str, bytes]:
    """What a stolen disk or dump shows. SQLite: the file, its WAL and shared memory as they are on disk
    (pages freed or superseded included), and every cell as stored (a value on overflow pages is split
    in the file); PostgreSQL: ``pg_dump`` of the store's schema."""
    if store_url.startswith("sqlite"):
        path = Path(urlparse(store_url).path)
        files = {file.name: file.read_bytes() for file in path.parent.glob(path.name + "*")}
        with closing(sqlite3.connect(path)) as db:
            tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            cells = [v for t in tables for row in db.execute(f'SELECT * FROM "{t}"') for v in row]
        return {**files, "cells": b"\n".join(v if isinstance(v, bytes) else str(v).encode() for v in cells)}
    if shutil.which("pg_dump") is None:
        service_missing("pg_dump is not installed (scripts/system-packages installs postgresql-client)")
    schema = parse_qs(urlparse(store_url).query)["schema"][0]
    dump = subprocess.run(["pg_dump", "--schema", schema, POSTGRES_URL], capture_output=True, check=True)
    return {"pg_dump": dump.stdout}


def names_in(files: dict[str, bytes]) -> dict[str, list[str]]:
    return {name: found_in(content) for name, content in files.items() if found_in(content)}


def test_no_name_is_left_in_the_database_bytes(app: Hub, store_url: str) -> None:
    """Whatever was typed about the child, and wherever it went, is nowhere in the files once erased."""
    story = named_story(app)
    with TestClient(create_app(app)) as http:  # a refused request is recorded, never its body
        refused = http.post("/v1/referrals", json={"child": {"given_name": LATIN, "family_name": CYRILLIC}},
                            headers=bearer(app, INSPECTOR))
        assert refused.status_code == 422
    assert names_in(database_bytes(app, store_url)) == {}, "sealed with the child's key before the erasure too"
    erase(app, story)
    files = database_bytes(app, store_url)
    assert any(spelled_in(REASON, content) for content in files.values()), "the search must see into every column"
    assert names_in(files) == {}, "with the hub still open, before the WAL is checkpointed"
    app.close()
    assert names_in(database_bytes(app, store_url)) == {}, "after the hub closed"
    if store_url.startswith("sqlite"):
        with closing(sqlite3.connect(urlparse(store_url).path)) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert names_in(database_bytes(app, store_url)) == {}, "after a checkpoint"


def test_the_chain_still_verifies(app, erased):
    assert app.integrity.verify_log().ok


def test_the_erasure_keeps_what_happened_and_no_free_text(app, erased):
    """The erasure is kept in clear for ever: its residue masks every personal field, reasons and notes too."""
    erasure = app.aggregates.load(Erasure, erasure_id_for(app.store.record_ids, erased.child_id), "erasure")
    assert _found(vars(erasure)) == []
    declined = next(r["body"] for r in erasure.residue
                    if r["record_id"] == str(erased.referral_ids["declined"]) and r["agency"] == MANAGER.agency)
    assert declined["state"] == "declined" and declined["decline_reasons"] == ERASED_VALUE
    redirected = next(r["body"] for r in erasure.residue
                      if r["record_id"] == str(erased.referral_ids["withdrawn"]) and r["agency"] == MANAGER.agency)
    assert (redirected["state"], redirected["outcome_reason"], redirected["routing_reason"]) == (
        "withdrawn", ERASED_VALUE, ERASED_VALUE
    )


def test_the_views_and_the_api_show_the_records_as_erased(app, erased):
    rows = app.views.store.rows_of_child(erased.child_id)
    assert rows and _found([r.body for r in rows]) == []
    with TestClient(create_app(app)) as http:
        response = http.get(f"/v1/records/case/{erased.case_id}", headers=bearer(app, MANAGER))
        assert response.status_code == 200
        case = response.json()
        assert case["state"] == "closed" and case["social_worker"] == ERASED_VALUE  # what happened stays, not who
        referral_id = erased.referral_ids["accepted"]
        referral = http.get(f"/v1/records/referral/{referral_id}", headers=bearer(app, MANAGER)).json()
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
        app.cases.case_for(MANAGER, erased.case_id)


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


@pytest.mark.parametrize("naming", ["Aigerim", "Жанеля", "KURMANGALIYEV"])
def test_an_erasure_reason_that_names_the_child_in_any_spelling_is_refused(app, naming):
    """The reason stays in clear when the key is gone: it may give the ground, not the name."""
    case = drive_to(app, "closed", **CHILD)
    position = app.store.recorder.max_notification_id()
    with pytest.raises(GuardViolation) as refused:
        app.erasure.erase(MANAGER, case.child_id, f"{REASON}, asked by {naming} herself")
    assert (refused.value.rule, refused.value.field) == ("erasure-reason-names-child", "reason")
    assert app.store.recorder.max_notification_id() == position
    assert not app.store.child_keys.is_shredded(case.child_id)


def test_erasing_twice_finds_the_first_erasure(app, erased):
    again = app.erasure.erase(MANAGER, erased.child_id, REASON)
    assert set(again.child_ids) == {erased.child_id, erased.school_child_id}


def test_reads_of_an_erased_child_are_still_recorded(app, erased):
    app.reads.show(MANAGER, "case", erased.case_id)
    app.views.catch_up()
    reads = app.views.store.reads("child_id = ?", [str(erased.child_id)])
    assert reads[-1].record_id == str(erased.case_id) and reads[-1].outcome == "granted"
