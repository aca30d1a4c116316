"""Schema migrations (issue 17, docs/decisions/0045): a store written by the previous release is adopted as it
is and carries on; a starting hub applies the steps that only add and refuses the others until an operator
runs ``hub migrate``; a store newer than the release is refused."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import bootstrap
from hub.cli.main import main
from hub.migrations.step import MigrationRefused, Step
from hub.migrations.steps import STEPS
from hub.projections.sql import Sql
from tests.builders import INSPECTOR, MANAGER, register_agencies
from tests.conftest import POSTGRES_URL, TEST_MASTER_KEY, service_missing
from tests.scenario import submit

PREVIOUS = Path(__file__).parent / "fixtures" / "previous_release"  # written by its make.py
ORIGINAL = ("hub_chain", "hub_checkpoints", "hub_child_keys", "hub_subjects", "hub_refused_requests")  # the events: by the chain


def _load_previous(store_url: str) -> dict[str, Any]:
    """The store the previous release wrote, put where ``store_url`` points; what it holds."""
    expected = json.loads((PREVIOUS / "expected.json").read_text())
    if store_url.startswith("sqlite"):
        target = Path(store_url.removeprefix("sqlite:///"))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PREVIOUS / "store.sqlite", target)
        target.chmod(0o600)
        return expected["sqlite"]
    if shutil.which("psql") is None:
        service_missing("psql is not on the PATH: install the PostgreSQL client tools")
    schema = store_url.rsplit("schema=", 1)[1]
    dump = (PREVIOUS / "postgres.sql").read_text().replace("hub_previous_release", schema)
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "--dbname", POSTGRES_URL], input=dump, text=True,
                   check=True, capture_output=True)
    return expected["postgres"]


def _contents(hub: Any) -> dict[str, list[tuple[Any, ...]]]:
    sql = Sql(hub.store.recorder)
    return {t: sorted(map(repr, sql.query(f"SELECT * FROM {{{t}}}", [t]))) for t in ORIGINAL}


@pytest.fixture
def env(store_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("HUB_DATABASE_URL", store_url)
    monkeypatch.setenv("HUB_MASTER_KEY", TEST_MASTER_KEY)
    return {"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY}


def test_a_store_of_the_previous_release_is_adopted_unchanged_then_read_back_and_carried_on(
    store_url: str, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    written = _load_previous(store_url)

    assert main(["migrate", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "version": STEPS[-1].version, "applied": [{"version": s.version, "name": s.name} for s in STEPS]
    }
    assert main(["migrate", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["applied"] == []

    hub = bootstrap(env)
    try:
        before = _contents(hub)
        client = TestClient(create_app(hub))
        headers = {"Authorization": f"Bearer {written['token']}"}  # a token the previous release issued
        for i, referral_id in enumerate(written["referrals"]):
            answer = client.get(f"/v1/referrals/{referral_id}", headers=headers)
            assert answer.status_code == 200, answer.text
            assert answer.json()["content"]["child"]["given_name"] == f"Previous{i}"  # its keys still open it
        assert client.get(f"/v1/referrals/{written['referrals'][0]}", headers=headers).json()["state"] == "acknowledged"
        assert before["hub_refused_requests"], "the refusal it recorded is kept"
        assert hub.integrity.verify_log().ok  # its chain and signed checkpoints, read by today's code

        new = submit(hub, INSPECTOR, child__given_name="Today")  # and it carries on
        assert hub.reads.show(MANAGER, "referral", new.id)["content"]["child"]["given_name"] == "Today"
        assert hub.integrity.verify_log().ok
        after = _contents(hub)
        assert all(set(before[t]) <= set(after[t]) for t in ORIGINAL)  # nothing of the old rows changed
    finally:
        hub.close()


PROBE = "hub_migration_probe"
ADDS = Step(STEPS[-1].version + 1, "add a probe table", True, (PROBE,), *[(f"CREATE TABLE {{{PROBE}}} (a TEXT)",)] * 2)
RENAMES = Step(STEPS[-1].version + 2, "rename the probe's column", False, (PROBE,),
               *[(f"ALTER TABLE {{{PROBE}}} RENAME COLUMN a TO b",)] * 2)


def _column(hub: Any) -> str:
    """The probe's one column, by its name: the one a SELECT finds."""
    sql = Sql(hub.store.recorder)
    for name in ("a", "b"):
        try:
            sql.query(f"SELECT {name} FROM {{{PROBE}}}", [PROBE])
            return name
        except Exception:  # no such column: the other one, then
            continue
    raise AssertionError("the probe has neither column")


def test_a_starting_hub_adds_by_itself_and_leaves_any_other_step_to_hub_migrate(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bootstrap(env).close()  # a store of this release
    monkeypatch.setattr("hub.migrations.runner.STEPS", (*STEPS, ADDS))
    hub = bootstrap(env)  # the additive step applied at start-up
    assert _column(hub) == "a"
    hub.close()

    monkeypatch.setattr("hub.migrations.runner.STEPS", (*STEPS, ADDS, RENAMES))
    with pytest.raises(MigrationRefused, match="run `hub migrate`"):
        bootstrap(env)
    assert main(["agencies", "list"]) == 2  # any command refuses to run on it
    assert "hub migrate" in capsys.readouterr().err

    assert main(["migrate"]) == 0
    assert f"applied step {RENAMES.version}: rename the probe's column" in capsys.readouterr().out
    hub = bootstrap(env)
    assert _column(hub) == "b"
    hub.close()

    monkeypatch.setattr("hub.migrations.runner.STEPS", STEPS)  # the release before, started again
    with pytest.raises(MigrationRefused, match="newer than this release"):
        bootstrap(env)


def test_a_fresh_store_is_created_with_every_step_recorded(env: dict[str, str]) -> None:
    hub = bootstrap(env)
    try:
        sql = Sql(hub.store.recorder)
        assert [v for (v,) in sql.query("SELECT version FROM {hub_schema_versions}", ["hub_schema_versions"])] == [
            s.version for s in STEPS
        ]
        for table in STEPS[0].tables:  # every original table there before anything used it
            assert sql.query(f"SELECT COUNT(*) FROM {{{table}}}", [table]) == [(0,)] or table in ORIGINAL
    finally:
        hub.close()


# hub_views as the releases before 0066 made it, each row with its rules and roles
_OLD_VIEWS = """CREATE TABLE {hub_views_before} (
    agency TEXT NOT NULL, record_type TEXT NOT NULL, record_id TEXT NOT NULL, child_id TEXT NOT NULL,
    body TEXT NOT NULL, rules TEXT NOT NULL, roles TEXT NOT NULL, policy_version INTEGER NOT NULL,
    valid_until TEXT, position BIGINT NOT NULL, PRIMARY KEY (agency, record_type, record_id))"""


def _as_before_grants(sql: Sql) -> None:
    """The views' table as a release before 0066 wrote it, the same rows with their pairs in them, no grants."""
    tables = ["hub_views", "hub_views_before", "hub_view_grants"]
    with sql.transaction() as cursor:
        cursor.execute(_OLD_VIEWS, tables)
        cursor.execute(
            "INSERT INTO {hub_views_before} SELECT v.agency, v.record_type, v.record_id, v.child_id, v.body, g.rules,"
            " g.roles, v.policy_version, v.valid_until, v.position FROM {hub_views} v JOIN {hub_view_grants} g"
            " ON g.digest = v.grants", tables)
        cursor.execute("DROP TABLE {hub_views}", tables)
        cursor.execute("DROP TABLE {hub_view_grants}", tables)
        cursor.execute("ALTER TABLE {hub_views_before} RENAME TO hub_views", tables)


def _opened(hub: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every view row as its readers get it, by child."""
    store = hub.views.store
    return {str(child): sorted(
        (r.agency, r.record_type, r.record_id, json.dumps(r.body, sort_keys=True), json.dumps(r.rules),
         json.dumps(r.roles)) for r in store.rows_of_child(child)) for child in store.children()}


def _naming_grants(sql: Sql) -> set[str]:
    """The children whose rows name their grants."""
    return {c for (c,) in sql.query("SELECT DISTINCT child_id FROM {hub_views} WHERE grants IS NOT NULL", ["hub_views"])}


def test_views_written_before_their_grants_were_shared_are_read_as_they_are_beside_new_ones(
    env: dict[str, str],
) -> None:
    hub = bootstrap(env)
    try:
        register_agencies(hub)
        ainur, dana = (submit(hub, INSPECTOR, child__given_name=name) for name in ("Ainur", "Dana"))
        hub.views.catch_up()
        written = _opened(hub)
        _as_before_grants(hub.views.store.sql)
    finally:
        hub.close()
    assert len(written) == 2 and all(written.values())

    hub = bootstrap(env)  # today's release on the views an older one wrote (docs/decisions/0066)
    try:
        sql = hub.views.store.sql
        assert _opened(hub) == written and not _naming_grants(sql)  # read as they are, nothing moved

        again = submit(hub, INSPECTOR, child_id=dana.child_id)  # Dana's views written again, Adel's for the first time
        adel = submit(hub, INSPECTOR, child__given_name="Adel")
        hub.views.catch_up()
        assert _naming_grants(sql) == {str(dana.child_id), str(adel.child_id)}
        now = _opened(hub)
        assert now[str(ainur.child_id)] == written[str(ainur.child_id)]
        assert {row[2] for row in now[str(dana.child_id)]} >= {row[2] for row in written[str(dana.child_id)]} | {
            str(again.id)}  # her records as before, and the new referral
        assert hub.reads.show(MANAGER, "referral", adel.id)["content"]["child"]["given_name"] == "Adel"
    finally:
        hub.close()
