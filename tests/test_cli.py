"""The ``hub`` command line: agencies, tokens and the demo, on a fresh embedded store."""

from __future__ import annotations

import io
import json
import logging

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


def test_a_closed_institution_s_places_and_closing_are_set_with_a_reason(data_dir: str, capsys) -> None:
    main(["agencies", "add", "home-almaty-3", "--name", "Children's Home No. 3", "--kind", "children_home", "--unit", "almaty"])
    assert main(["agencies", "institution", "home-almaty-3", "--capacity", "40", "--open", "closed",
                 "--reason", "quarantine: measles"]) == 0
    assert "home-almaty-3: 40 places, closed" in capsys.readouterr().out
    [change] = bootstrap().directory.institution_changes("home-almaty-3")
    assert (change["capacity"], change["is_open"], change["reason"]) == (40, False, "quarantine: measles")


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


def test_version_comes_from_the_installed_package(capsys) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"hub {version('referral-hub')}"


def test_usage_errors_exit_2_and_the_statuses_are_in_the_help(data_dir: str, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["agencies", "add", "x"])  # --name, --kind and --city missing
    assert exited.value.code == 2
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "exit statuses:" in capsys.readouterr().out


def test_a_moment_without_a_time_zone_is_read_in_the_deployments_and_a_bad_one_refused_clearly(
    data_dir: str, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = run(bootstrap(), io.StringIO())
    monkeypatch.delenv("HUB_TIMEZONE", raising=False)
    assert main(["audit", "replay", f"case:{case_id}", "--as-of", "2099-01-01"]) == 0
    answered = capsys.readouterr()
    assert "read '2099-01-01' as 2099-01-01T00:00:00+05:00 (HUB_TIMEZONE=Asia/Almaty)" in answered.err
    assert json.loads(answered.out)["record"]["state"] == "closed"

    for given, said in (("06.12.2026", "is not an ISO 8601 moment"), ("2026-12-06", "HUB_TIMEZONE='Mars/Olympus'")):
        monkeypatch.setenv("HUB_TIMEZONE", "Mars/Olympus")
        with pytest.raises(SystemExit) as exited:
            main(["audit", "replay", f"case:{case_id}", "--as-of", given])
        refused = capsys.readouterr().err
        assert exited.value.code == 2 and said in refused and "Traceback" not in refused


def test_every_listing_answers_json(data_dir: str, capsys, tmp_path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    main(["agencies", "add", "ji-almaty", "--name", "Juvenile inspection", "--kind", "juvenile_police", "--city", "almaty"])
    pem = tmp_path / "ji.pem"
    pem.write_bytes(ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    main(["agencies", "key", "add", "ji-almaty", "--public-key", str(pem)])
    main(["tokens", "issue", "--agency", "ji-almaty", "--role", "juvenile_inspector", "--user", "a.n"])
    capsys.readouterr()
    for listing, key in ((["agencies", "list"], "code"), (["agencies", "key", "list", "ji-almaty"], "key_id"),
                         (["tokens", "list"], "id")):
        assert main([*listing, "--json"]) == 0
        (entry,) = json.loads(capsys.readouterr().out)
        assert key in entry, listing


def test_long_work_shows_progress_as_a_bar_on_a_terminal_and_as_log_lines_elsewhere(caplog) -> None:
    from hub.cli.progress import TerminalBar
    from hub.progress import LogLines

    caplog.set_level(logging.INFO, logger="hub.progress")
    now = [0.0]
    screen = io.StringIO()
    bar = TerminalBar(screen, clock=lambda: now[0])
    lines = LogLines(every=10.0, clock=lambda: now[0])
    for done in range(0, 100_001, 5_000):
        bar("views", done, 100_000)
        lines("views", done, 100_000)
        now[0] += 1.0
    assert "\rviews [###############...............]  50% 50,000/100,000" in screen.getvalue()
    assert screen.getvalue().endswith("100% 100,000/100,000\n")
    shown = [r.getMessage() for r in caplog.records if r.name == "hub.progress"]
    assert shown[0] == "views: 50000 of 100000 (50%)" and shown[-1] == "views: 100000 of 100000 (100%)"
    assert len(shown) == 2  # every 10 s of work, the last at its end


def test_audit_verify_reports_its_progress(data_dir: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from hub import progress

    run(bootstrap(), io.StringIO())
    seen: list[tuple[str, int, int]] = []
    monkeypatch.setattr(progress, "_sink", lambda *report: seen.append(report))
    assert main(["audit", "verify"]) == 0
    verified = [(done, total) for task, done, total in seen if task == "verify"]
    assert verified[0][0] == 0 and verified[-1][0] == verified[-1][1] > 0
