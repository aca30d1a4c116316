"""The auditor's view: metadata and pseudonyms by default; personal values only through a recorded, reasoned,
time-limited opening."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.audit.pseudonyms import PREFIX
from hub.errors import GuardViolation
from tests.api_support import assert_problem, bearer
from tests.builders import AUDITOR, SCHOOL_PSYCHOLOGIST
from tests.scenario import assigned_between

REASON = "complaint 2026/114 to the Ombudsman about the handling of this case"


@pytest.fixture
def story(app, frozen):
    return assigned_between(app, frozen)


def test_an_auditor_sees_states_and_dates_but_pseudonyms_for_personal_values(app, story):
    referral, _, first, _ = story
    seen = app.audit_replay.replay_record(AUDITOR, "referral", referral.id, first)
    record = seen["record"]
    assert seen["pseudonymised"] and record["state"] == "accepted"  # metadata in clear
    assert record["content"]["child"]["given_name"].startswith(PREFIX)
    assert "Aziz" not in str(record) and "Karimov" not in str(record)


def test_the_same_value_keeps_its_pseudonym_across_moments_so_changes_show(app, story):
    _, case, first, second = story
    seen = app.audit_replay.replay_record(AUDITOR, "case", case.id, second, compare=first)
    changed = {c["field"]: c for c in seen["changes"]}
    assert changed["state"]["before"] == "intake" and changed["state"]["after"] == "initial_assessment"
    assert changed["social_worker"]["after"].startswith(PREFIX)  # that it changed, not to whom


def test_an_opening_with_a_reason_shows_personal_values_until_it_expires(app, story, frozen):
    referral, _, first, _ = story
    with pytest.raises(GuardViolation):
        app.audit_replay.open_for_audit(AUDITOR, referral.child_id, "because")
    opening = app.audit_replay.open_for_audit(AUDITOR, referral.child_id, REASON)
    opened = app.audit_replay.replay_record(AUDITOR, "referral", referral.id, first)
    assert not opened["pseudonymised"] and opened["record"]["content"]["child"]["given_name"] == "Aziz"
    assert opened["opening_id"] == opening.id
    frozen.set(opening.until)
    assert app.audit_replay.replay_record(AUDITOR, "referral", referral.id, first)["pseudonymised"]


def test_every_replay_is_recorded_with_the_rule_that_allowed_it(app, story):
    referral, _, first, _ = story
    app.audit_replay.replay_record(AUDITOR, "referral", referral.id, first)
    opening = app.audit_replay.open_for_audit(AUDITOR, referral.child_id, REASON)
    app.audit_replay.replay_record(AUDITOR, "referral", referral.id, first)
    app.views.catch_up()
    reads = [r for r in app.views.store.reads("child_id = ?", [str(referral.child_id)]) if r.purpose == "audit_replay"]
    assert [(r.outcome, r.rules) for r in reads] == [("granted", ["AUDIT-PSEUDONYMISED"]), ("break_glass", [opening.rule])]


def test_over_http_only_oversight_bodies_replay_and_the_moment_needs_a_time_zone(app, story):
    referral, _, first, _ = story
    with TestClient(create_app(app)) as http:
        path = f"/v1/audit/replay/referral/{referral.id}"
        ok = http.get(path, params={"as_of": first.isoformat()}, headers=bearer(app, AUDITOR))
        assert ok.status_code == 200 and ok.json()["pseudonymised"]
        assert_problem(http.get(path, params={"as_of": first.isoformat()}, headers=bearer(app, SCHOOL_PSYCHOLOGIST)),
                       403, "forbidden")
        assert http.get(path, params={"as_of": "2026-03-02T09:00:00"}, headers=bearer(app, AUDITOR)).status_code == 422
        opened = http.post("/v1/audit/openings", json={"child_id": str(referral.child_id), "reason": REASON},
                           headers=bearer(app, AUDITOR))
        assert opened.status_code == 201
        assert not http.get(path, params={"as_of": first.isoformat()}, headers=bearer(app, AUDITOR)).json()["pseudonymised"]
