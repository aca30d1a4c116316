"""The ``hub`` command line: agencies, tokens and the demo, on a fresh embedded store."""

from __future__ import annotations

import io

import pytest

from hub.bootstrap import bootstrap
from hub.cli.main import main
from hub.demo.scenario import run


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> str:
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HUB_DATABASE_URL", raising=False)
    return str(tmp_path)


def test_agencies_are_added_listed_and_tokens_issued_for_them(data_dir: str, capsys) -> None:
    assert main(["agencies", "add", "school-almaty-12", "--name", "School No. 12", "--kind", "school", "--city", "almaty"]) == 0
    assert main(["agencies", "list"]) == 0
    assert "school-almaty-12" in capsys.readouterr().out
    assert main(["tokens", "issue", "--agency", "school-almaty-12", "--role", "psychologist", "--user", "m.kim"]) == 0
    token = capsys.readouterr().out.strip()
    actor, agency = bootstrap().tokens.authenticate(token)
    assert (actor.agency, actor.role, actor.user, agency.kind) == ("school-almaty-12", "psychologist", "m.kim", "school")


def test_tokens_are_refused_for_unknown_agencies_and_roles(data_dir: str, capsys) -> None:
    main(["agencies", "add", "school-almaty-12", "--name", "School No. 12", "--kind", "school", "--city", "almaty"])
    assert main(["tokens", "issue", "--agency", "school-nowhere", "--role", "teacher", "--user", "x"]) == 2
    assert "unknown agency 'school-nowhere'" in capsys.readouterr().err
    assert main(["tokens", "issue", "--agency", "school-almaty-12", "--role", "manager", "--user", "x"]) == 2
    assert "has no role 'manager'" in capsys.readouterr().err


def test_the_demo_runs_the_lifecycle_over_http_to_closure_and_can_run_again(data_dir: str) -> None:
    hub = bootstrap()
    first, second = io.StringIO(), io.StringIO()
    case_id = run(hub, first)
    assert run(hub, second) != case_id
    out = first.getvalue()
    for step in ("POST /v1/referrals", "acknowledged", "accept", "care_plan_active", "return_in_progress", "closed"):
        assert step in out
    assert hub.store.repository.get(case_id).state == "closed"


def test_one_escalation_pass_from_the_command_line(data_dir: str, capsys) -> None:
    assert main(["escalate", "--once"]) == 0
    assert "0 escalation(s) raised" in capsys.readouterr().out
