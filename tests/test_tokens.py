"""Tokens can be listed and revoked, by the operator (CLI and API) and by an agency's head for its own staff;
a revocation is refused on the very next request in every process; a token always expires
(docs/decisions/0027)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from hub import clock
from hub.actor import Actor
from hub.aggregates.api_token import ApiToken, token_id_for
from hub.aggregates.vocabulary import BodyKind, City
from hub.api.app import create_app
from hub.bootstrap import Hub, bootstrap
from hub.cli.main import main
from tests.api_support import assert_problem, bearer
from tests.builders import ADMIN, MANAGER, NGO_COORDINATOR, SOCIAL_WORKER, register_agencies
from tests.conftest import START, TEST_MASTER_KEY
from tests.kafka_support import die_with_parent, free_port, wait_for
from tests.statement_count import is_transaction_control, statements

OPERATOR = Actor("hub-ops", "admin", "ops.aliya")


def _operators(app: Hub) -> None:
    app.directory.register_agency(ADMIN, "hub-ops", "Hub operations", BodyKind.HUB, City.ASTANA)


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    _operators(app)
    with TestClient(create_app(app)) as test_client:
        yield test_client


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HUB_DATABASE_URL", raising=False)
    bootstrap().directory.register_agency(ADMIN, "cam-almaty", "CAM Almaty", BodyKind.CAM, City.ALMATY)
    return tmp_path


def _issue(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["tokens", "issue", "--agency", "cam-almaty", "--role", "manager", *args])
    out, err = capsys.readouterr()
    return code, out.strip(), err


# -- the operator's command line -------------------------------------------------------------------


def test_the_operator_lists_tokens_without_their_secrets_and_revokes_one_for_good(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, leaver, _ = _issue(capsys, "--user", "a.leaver")
    _, stays, _ = _issue(capsys, "--user", "b.stays")
    assert main(["tokens", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {(t["user"], t["state"]) for t in listed} == {("a.leaver", "active"), ("b.stays", "active")}
    assert {t["id"] for t in listed} == {str(token_id_for(leaver)), str(token_id_for(stays))}
    assert main(["tokens", "list", "--agency", "cam-almaty"]) == 0
    lines = capsys.readouterr().out
    assert "a.leaver" in lines and "b.stays" in lines
    assert not any(secret in lines or secret in json.dumps(listed) for secret in (leaver, stays))

    assert main(["tokens", "revoke", str(token_id_for(leaver)), "--reason", "left the centre"]) == 0
    assert "revoked" in capsys.readouterr().out
    hub = bootstrap()
    assert hub.tokens.authenticate(leaver) is None and hub.tokens.authenticate(stays) is not None
    assert main(["tokens", "list", "--json"]) == 0
    assert {t["user"]: t["state"] for t in json.loads(capsys.readouterr().out)} == {
        "a.leaver": "revoked", "b.stays": "active"
    }
    assert main(["tokens", "revoke", str(token_id_for(leaver)), "--reason", "again"]) == 2
    assert "token in state revoked cannot revoke" in capsys.readouterr().err


def test_a_token_that_would_never_expire_or_outlive_the_longest_lifetime_is_refused(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = _issue(capsys, "--user", "x", "--days", "0")
    assert (code, out) == (2, "") and "a token must expire" in err
    code, out, err = _issue(capsys, "--user", "x", "--days", "366")
    assert (code, out) == (2, "") and "at most 365 days (HUB_TOKEN_MAX_DAYS)" in err
    monkeypatch.setenv("HUB_TOKEN_MAX_DAYS", "30")
    assert _issue(capsys, "--user", "x", "--days", "31")[0] == 2
    code, secret, err = _issue(capsys, "--user", "x", "--days", "30")
    assert code == 0 and secret.startswith("hub_") and str(token_id_for(secret)) in err
    assert [t.user for t in bootstrap().tokens.tokens()] == ["x"]  # the refused ones were not issued
    monkeypatch.setenv("HUB_TOKEN_MAX_DAYS", "forever")
    with pytest.raises(ValueError, match="HUB_TOKEN_MAX_DAYS"):
        bootstrap()


def test_a_token_issued_without_expiry_before_every_token_had_to_expire_lives_the_longest_lifetime(
    app: Hub, frozen: clock.FrozenClock
) -> None:
    secret = "hub_issued-before-0027"
    app.store.save(ApiToken(id=token_id_for(secret), actor=ADMIN, holder=MANAGER, expires_at=None))
    (listed,) = app.tokens.tokens()
    assert (listed.issued_at, listed.expires_at, listed.state) == (START, START + timedelta(days=365), "active")
    frozen.advance(timedelta(days=364))
    assert app.tokens.authenticate(secret) is not None
    frozen.advance(timedelta(days=2))
    assert app.tokens.authenticate(secret) is None
    assert app.tokens.tokens()[0].state == "expired"


# -- the admin API, and an agency's heads ----------------------------------------------------------


def test_the_operators_issue_list_and_revoke_tokens_over_the_api(client: TestClient, app: Hub) -> None:
    admin = bearer(app, OPERATOR)
    issued = client.post("/v1/tokens", json={"agency": "cam-almaty", "role": "manager", "user": "a.new", "days": 30},
                         headers=admin)
    assert issued.status_code == 201, issued.text
    token = issued.json()
    assert token["expires_at"].startswith((START + timedelta(days=30)).date().isoformat())
    secret = {"Authorization": f"Bearer {token['secret']}"}
    assert client.get("/v1/inbox", headers=secret).status_code == 200
    listed = client.get("/v1/tokens", params={"agency": "cam-almaty"}, headers=admin).json()
    assert [(t["id"], t["user"], t["state"]) for t in listed] == [(token["id"], "a.new", "active")]
    assert token["secret"] not in json.dumps(listed)

    revoked = client.post(f"/v1/tokens/{token['id']}/revoke", json={"reason": "issued by mistake"}, headers=admin)
    assert (revoked.status_code, revoked.json()["state"]) == (200, "revoked")
    assert_problem(client.get("/v1/inbox", headers=secret), 401, "unauthenticated")
    assert_problem(client.post(f"/v1/tokens/{token['id']}/revoke", json={"reason": "again"}, headers=admin),
                   409, "illegal-transition")
    absent = "3f6c1f7e-0000-4000-8000-000000000000"
    assert_problem(client.post(f"/v1/tokens/{absent}/revoke", json={"reason": "x"}, headers=admin), 404, "not-found")
    assert assert_problem(client.post(f"/v1/tokens/{token['id']}/revoke", json={}, headers=admin),
                          422, "validation-error")["field"] == "reason"


@pytest.mark.parametrize(("days", "detail"), [(0, "a token must expire"), (366, "at most 365 days"),
                                              (-5, "a token must expire")])
def test_the_api_refuses_a_token_that_would_never_expire_or_live_too_long(
    client: TestClient, app: Hub, days: int, detail: str
) -> None:
    body = {"agency": "cam-almaty", "role": "manager", "user": "a.new", "days": days}
    refused = assert_problem(client.post("/v1/tokens", json=body, headers=bearer(app, OPERATOR)), 422, "invalid-input")
    assert refused["field"] == "days" and detail in refused["detail"]
    assert [t.user for t in app.tokens.tokens()] == [OPERATOR.user]


def test_a_centres_manager_revokes_a_leavers_token_and_nobody_elses(client: TestClient, app: Hub) -> None:
    manager = bearer(app, MANAGER)
    leaver = app.tokens.issue_token(ADMIN, SOCIAL_WORKER)
    elsewhere = app.tokens.issue_token(ADMIN, NGO_COORDINATOR)
    listed = client.get("/v1/tokens", headers=manager).json()
    assert {t["agency"] for t in listed} == {MANAGER.agency}
    assert {t["user"] for t in listed} == {MANAGER.user, SOCIAL_WORKER.user}
    assert client.get("/v1/tokens", params={"agency": NGO_COORDINATOR.agency}, headers=manager).json() == []

    other = client.post(f"/v1/tokens/{token_id_for(elsewhere)}/revoke", json={"reason": "x"}, headers=manager)
    absent = client.post("/v1/tokens/3f6c1f7e-0000-4000-8000-000000000000/revoke", json={"reason": "x"},
                         headers=manager)
    assert assert_problem(other, 404, "not-found")["detail"].replace(str(token_id_for(elsewhere)), "?") == \
        absent.json()["detail"].replace("3f6c1f7e-0000-4000-8000-000000000000", "?")
    assert app.tokens.authenticate(elsewhere) is not None

    revoked = client.post(f"/v1/tokens/{token_id_for(leaver)}/revoke", json={"reason": "left on Friday"},
                          headers=manager)
    assert revoked.status_code == 200, revoked.text
    assert app.tokens.authenticate(leaver) is None
    assert_problem(client.get("/v1/tokens", headers={"Authorization": f"Bearer {leaver}"}), 401, "unauthenticated")
    social_worker = bearer(app, SOCIAL_WORKER)
    assert_problem(client.get("/v1/tokens", headers=social_worker), 403, "forbidden")


# -- revocation in every process, at the cost of one statement --------------------------------------


def test_a_token_revoked_in_one_process_is_refused_on_the_next_request_in_another(
    app: Hub, store_url: str
) -> None:
    _operators(app)
    other = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    try:
        secret = {"Authorization": f"Bearer {app.tokens.issue_token(ADMIN, MANAGER)}"}
        admin = bearer(app, OPERATOR)
        with TestClient(create_app(app)) as first, TestClient(create_app(other)) as second:
            assert first.get("/v1/inbox", headers=secret).status_code == 200
            assert second.get("/v1/inbox", headers=secret).status_code == 200  # known to both processes now
            token_id = token_id_for(secret["Authorization"][7:])
            assert first.post(f"/v1/tokens/{token_id}/revoke", json={"reason": "lost phone"},
                              headers=admin).status_code == 200
            assert_problem(second.get("/v1/inbox", headers=secret), 401, "unauthenticated")
            assert_problem(first.get("/v1/inbox", headers=secret), 401, "unauthenticated")
    finally:
        other.close()


def test_authentication_asks_the_store_one_question_per_request(app: Hub, store_url: str) -> None:
    valid, revoked = app.tokens.issue_token(ADMIN, MANAGER), app.tokens.issue_token(ADMIN, MANAGER)
    for secret in (valid, revoked):
        assert app.tokens.authenticate(secret) is not None  # each read once, as its first request does
    app.tokens.revoke(ADMIN, token_id_for(revoked), "lost")
    assert app.tokens.authenticate(revoked) is None
    requests = 5
    with statements() as run:
        assert all(app.tokens.authenticate(valid) is not None for _ in range(requests))
    queries = [s for s in run if not is_transaction_control(s)]
    assert len(queries) == requests and all(q.lstrip().upper().startswith("SELECT") for q in queries)
    if store_url.startswith("postgresql"):
        assert len(run) == requests  # and nothing else: no BEGIN, no ROLLBACK
    with statements() as run:
        assert app.tokens.authenticate(revoked) is None
    assert run == []  # a revoked token can never be valid again: nothing to ask


def _serve(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "hub.cli.main", "serve", "--port", str(port)], env=env, stdout=out,
            stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parent.parent, preexec_fn=die_with_parent,
        )
    return process, f"http://127.0.0.1:{port}"


def _answers(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/health", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


@pytest.mark.slow  # starts two hub serve processes
def test_two_hub_serve_processes_refuse_a_token_revoked_through_either_on_its_next_request(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = {"HUB_DATABASE_URL": postgres_url, "HUB_MASTER_KEY": TEST_MASTER_KEY}
    hub = bootstrap(settings)
    try:
        register_agencies(hub)
        _operators(hub)
        secret = {"Authorization": f"Bearer {hub.tokens.issue_token(ADMIN, MANAGER)}"}
        admin = bearer(hub, OPERATOR)
    finally:
        hub.close()
    # One worker of two threads each: two processes are what is tested, and at the cores' count of workers with
    # their default pools the two took 44 of the test server's 100 connections beside the rest of the suite.
    env = {**os.environ, **settings, "HUB_SERVE_WORKERS": "1", "HUB_SERVE_THREADS": "2"}
    servers = [_serve(env, tmp_path / f"serve-{n}.log") for n in (1, 2)]
    try:
        for _, base_url in servers:
            wait_for(lambda url=base_url: _answers(url), 60, "hub serve to answer")
        (_, first), (_, second) = servers
        assert [httpx.get(f"{url}/v1/inbox", headers=secret).status_code for url in (first, second)] == [200, 200]
        token_id = token_id_for(secret["Authorization"][7:])
        revoked = httpx.post(f"{first}/v1/tokens/{token_id}/revoke", json={"reason": "stolen"}, headers=admin)
        assert revoked.status_code == 200, revoked.text
        assert httpx.get(f"{second}/v1/inbox", headers=secret).status_code == 401
        assert httpx.get(f"{first}/v1/inbox", headers=secret).status_code == 401
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=30)
