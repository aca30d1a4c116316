"""The retention rule (D53): closed files leave the operational views when the child comes of age, logged."""

from __future__ import annotations

from datetime import date

import pytest
from eventsourcing.utils import get_topic

from hub.aggregates.archival import Archival
from hub.aggregates.retention_run import RetentionRun
from hub.bootstrap import bootstrap
from hub.cli.main import main
from hub.errors import GuardViolation, NotFound
from tests.builders import AUDITOR, INSPECTOR, MANAGER, register_agencies
from tests.conftest import TEST_MASTER_KEY
from tests.scenario import drive_to, open_case, rebuilt_from_nothing, submit

# START is 2026-03-02: this child is 16 then and 18 on 2027-06-10.
BORN = {"child__stated_age": None, "child__date_of_birth": date(2009, 6, 10)}
EVE_OF_18, DAY_OF_18 = date(2027, 6, 9), date(2027, 6, 10)


def _logged(app, event_class) -> list:
    topic = get_topic(event_class)
    notifications = app.store.recorder.select_notifications(start=1, limit=10_000, topics=[topic])
    return [app.store.mapper.to_domain_event(n) for n in notifications]


def _visible(app, actor, record_type, record_id) -> bool:
    try:
        app.reads.show(actor, record_type, record_id)
    except NotFound:
        return False
    return True


@pytest.fixture
def closed(app):
    case = drive_to(app, "closed", **BORN)
    assert _visible(app, MANAGER, "case", case.id) and _visible(app, INSPECTOR, "referral", case.referral_ids[0])
    return case


def test_a_closed_file_stays_until_the_eve_of_18_and_leaves_every_view_on_the_day(app, closed):
    before = app.retention.apply_retention(MANAGER, EVE_OF_18)
    assert before.archived == [] and _visible(app, MANAGER, "case", closed.id)

    run = app.retention.apply_retention(MANAGER, DAY_OF_18)

    assert run.archived == [closed.child_id]
    assert not _visible(app, MANAGER, "case", closed.id)
    assert not _visible(app, MANAGER, "child", closed.child_id)
    assert not _visible(app, INSPECTOR, "referral", closed.referral_ids[0])
    assert app.views.store.rows_of_child(closed.child_id) == []


def test_an_archived_child_is_no_longer_offered_as_a_possible_earlier_record(app, closed):
    before = submit(app, **BORN)
    assert closed.child_id in {c.child_id for c in app.referrals.duplicate_candidates(MANAGER, before.id)}

    app.retention.apply_retention(MANAGER, DAY_OF_18)
    after = submit(app, **BORN)

    assert closed.child_id not in {c.child_id for c in app.referrals.duplicate_candidates(MANAGER, after.id)}


def test_every_run_is_logged_even_when_it_archives_nothing_and_a_file_is_archived_once(app, closed):
    app.retention.apply_retention(MANAGER, EVE_OF_18)
    app.retention.apply_retention(MANAGER, DAY_OF_18)
    app.retention.apply_retention(MANAGER, date(2027, 6, 11))

    runs = _logged(app, RetentionRun.Completed)
    assert [(r.as_of, r.archived, r.actor.user) for r in runs] == [
        (EVE_OF_18, [], MANAGER.user), (DAY_OF_18, [closed.child_id], MANAGER.user), (date(2027, 6, 11), [], MANAGER.user),
    ]
    archivals = _logged(app, Archival.Archived)
    assert [(a.child_id, a.run_id, a.case_ids, a.retention_rule) for a in archivals] == [
        (closed.child_id, runs[1].originator_id, [closed.id], "D53")
    ]


def test_the_archived_file_stays_in_the_log_for_auditors_and_the_chain_still_verifies(app, closed, frozen):
    app.retention.apply_retention(MANAGER, DAY_OF_18)

    seen = app.audit_replay.replay_record(AUDITOR, "case", closed.id, frozen.now())

    assert seen["record"]["state"] == "closed"
    assert app.integrity.verify_log().ok


def test_a_projection_rebuilt_from_nothing_leaves_the_archived_file_out(app, store_url, closed):
    other = drive_to(app, "closed")  # stated age 14: years from 18
    app.retention.apply_retention(MANAGER, DAY_OF_18)

    rebuilt = rebuilt_from_nothing(app, store_url)

    assert rebuilt.views.store.rows_of_child(closed.child_id) == []
    assert _visible(rebuilt, MANAGER, "case", other.id)
    rebuilt.close()


def test_files_still_open_or_of_unknown_age_are_kept_and_the_run_says_why(app, closed):
    still_open = open_case(app, **BORN)
    ageless = drive_to(app, "closed", child__stated_age=None)

    run = app.retention.apply_retention(MANAGER, DAY_OF_18)

    assert run.archived == [closed.child_id]
    assert sorted((k["child_id"], k["reason"]) for k in run.kept) == sorted(
        [(str(still_open.child_id), "open-case"), (str(ageless.child_id), "age-unknown")]
    )
    assert _visible(app, MANAGER, "case", still_open.id) and _visible(app, MANAGER, "case", ageless.id)


def test_a_dry_run_lists_what_is_due_and_records_nothing(app, closed):
    before = app.store.recorder.max_notification_id()

    run = app.retention.apply_retention(MANAGER, DAY_OF_18, dry_run=True)

    assert run.archived == [closed.child_id]
    assert app.store.recorder.max_notification_id() == before
    assert _visible(app, MANAGER, "case", closed.id)


def test_a_deployment_may_keep_files_longer_never_shorter(store_url, frozen):
    env = {"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY}
    longer = bootstrap({**env, "HUB_RETENTION_AGE": "21"})
    register_agencies(longer)
    case = drive_to(longer, "closed", **BORN)
    assert longer.retention.apply_retention(MANAGER, DAY_OF_18).archived == []
    assert longer.retention.apply_retention(MANAGER, date(2030, 6, 10)).archived == [case.child_id]
    longer.close()
    shorter = bootstrap({**env, "HUB_RETENTION_AGE": "16"})
    with pytest.raises(ValueError, match="at least until the child is 18"):
        shorter.retention.apply_retention(MANAGER, DAY_OF_18)
    shorter.close()


def test_no_new_referral_can_be_added_to_an_archived_file(app, closed):
    app.retention.apply_retention(MANAGER, DAY_OF_18)

    with pytest.raises(GuardViolation) as refused:
        submit(app, child_id=closed.child_id)
    assert refused.value.rule == "archived-file" and refused.value.status == 409


def test_the_command_line_archives_and_prints_the_run(app, store_url, closed, monkeypatch, capsys):
    monkeypatch.setenv("HUB_DATABASE_URL", store_url)
    monkeypatch.setenv("HUB_MASTER_KEY", TEST_MASTER_KEY)

    assert main(["retention", "--as-of", DAY_OF_18.isoformat(), "--dry-run"]) == 0
    assert f"would archive 1 child record(s) as of {DAY_OF_18}" in capsys.readouterr().out
    assert main(["retention", "--as-of", DAY_OF_18.isoformat()]) == 0

    printed = capsys.readouterr().out
    assert f"archived 1 child record(s) as of {DAY_OF_18}" in printed and str(closed.child_id) in printed
    app.views.catch_up()
    assert not _visible(app, MANAGER, "case", closed.id)


def test_an_archived_child_can_still_be_erased_and_the_archival_outlives_the_key(app, closed):
    app.retention.apply_retention(MANAGER, DAY_OF_18)

    app.erasure.erase(MANAGER, closed.child_id, "request of the former child, now of age, under the personal data law")

    [archival] = _logged(app, Archival.Archived)
    assert (archival.child_id, archival.case_ids, archival.retention_age) == (closed.child_id, [closed.id], 18)
    assert app.integrity.verify_log().ok
