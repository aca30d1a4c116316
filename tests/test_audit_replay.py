"""Replay as of a moment: each body's view of a child, rebuilt from the log alone, equals what it was then."""

from __future__ import annotations

from datetime import timedelta

import yaml

from hub.audit.replay import Replay, differences
from hub.privacy.policy_file import packaged_policy_text
from tests.builders import AUDITOR, MANAGER
from tests.scenario import assign, assigned_between, submit


def _live_views(app, child_id):
    app.views.catch_up()
    return {(r.agency, r.record_type, r.record_id): (r.body, r.policy_version) for r in app.views.store.rows_of_child(child_id)}


def _replayed(app, child_id, at):
    rows = Replay(app.store, app.views).view_rows(child_id, at)
    return {(r.agency, r.record_type, r.record_id): (r.body, r.policy_version) for r in rows}


def _without_oversight_grant(app) -> None:
    policy = yaml.safe_load(packaged_policy_text())
    policy["version"] += 1
    policy["grants"] = [g for g in policy["grants"] if g["id"] != "OVERSIGHT"]  # auditors no longer see referrals
    app.store.adopt_policy(yaml.safe_dump(policy, allow_unicode=True, sort_keys=False))


def test_three_moments_replay_to_the_views_they_had_across_a_policy_change(app, frozen):
    referral = submit(app)
    moments, seen = [], []
    moments.append(frozen.advance(timedelta(minutes=30)))
    seen.append(_live_views(app, referral.child_id))

    frozen.advance(timedelta(hours=1))
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    case = app.referrals.accept_referral(MANAGER, referral.id)
    moments.append(frozen.advance(timedelta(minutes=30)))
    seen.append(_live_views(app, referral.child_id))

    frozen.advance(timedelta(hours=1))
    _without_oversight_grant(app)
    assign(app, case.id)
    moments.append(frozen.advance(timedelta(minutes=30)))
    seen.append(_live_views(app, referral.child_id))

    assert seen[0] != seen[1] != seen[2]  # each moment shows something the others do not
    assert any(k[0] == AUDITOR.agency for k in seen[1]) and not any(k[0] == AUDITOR.agency for k in seen[2])
    for at, then in zip(moments, seen, strict=True):
        assert _replayed(app, referral.child_id, at) == then


def test_a_record_replayed_at_two_moments_shows_what_changed(app, frozen):
    _, case, before, after = assigned_between(app, frozen)
    replay = Replay(app.store, app.views)
    changed = {d["field"]: d for d in differences(replay.record("case", case.id, before), replay.record("case", case.id, after))}
    assert changed["social_worker"]["before"] is None and changed["social_worker"]["after"] == "d.seitkali"
    assert changed["state"] == {"field": "state", "before": "intake", "after": "initial_assessment"}


def test_a_record_replayed_before_it_existed_is_absent(app, frozen):
    earlier = frozen.advance(timedelta(0))
    frozen.advance(timedelta(hours=1))
    referral = submit(app)
    assert Replay(app.store, app.views).record("referral", referral.id, earlier) is None
    assert Replay(app.store, app.views).view_rows(referral.child_id, earlier) == []


def test_hub_audit_replay_prints_the_record_then_and_what_changed(app, frozen, store_url, monkeypatch, capsys):
    import json

    from hub.cli.main import main
    from tests.conftest import TEST_MASTER_KEY

    _, case, before, after = assigned_between(app, frozen)
    monkeypatch.setenv("HUB_DATABASE_URL", store_url)
    monkeypatch.setenv("HUB_MASTER_KEY", TEST_MASTER_KEY)
    assert main(["audit", "replay", f"case:{case.id}", "--as-of", after.isoformat(), "--compare", before.isoformat()]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["pseudonymised"] and printed["record"]["state"] == "initial_assessment"
    assert {"field": "state", "before": "intake", "after": "initial_assessment"} in printed["changes"]
