"""What an operator watches (docs/decisions/0032): /ready says which check failed, /metrics is only for the
holder of its token and counts by route template, and the logs of a run hold none of the names it was sent."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import Hub, bootstrap
from tests.api_support import assert_problem, bearer
from tests.builders import INSPECTOR, MANAGER, referral_content, register_agencies
from tests.conftest import TEST_MASTER_KEY
from tests.kafka_support import free_port, wait_for

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "scraper-secret-of-this-test"


def client(app: Hub) -> TestClient:
    return TestClient(create_app(app))


def test_ready_while_the_views_keep_up_and_names_the_views_when_they_fall_behind(
    app: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_READY_MAX_LAG_EVENTS", "0")
    api = client(app)
    app.views.catch_up()
    answer = api.get("/ready")
    assert answer.status_code == 200 and set(answer.json()["checks"]) == {"database", "views"}

    app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="k-1")  # not projected yet
    problem = assert_problem(api.get("/ready"), 503, "not-ready")
    assert [c["name"] for c in problem["checks"]] == ["views"]
    assert "behind the log" in problem["detail"]
    assert api.get("/health").status_code == 200  # liveness is not readiness

    app.views.catch_up()
    assert api.get("/ready").status_code == 200


def test_not_ready_when_the_configured_broker_does_not_answer(app: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_KAFKA_BOOTSTRAP", f"127.0.0.1:{free_port()}")  # nothing listens there
    problem = assert_problem(client(app).get("/ready"), 503, "not-ready")
    assert [c["name"] for c in problem["checks"]] == ["broker"]


def test_metrics_are_answered_as_no_such_route_without_the_token(app: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    unset = client(app).get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    monkeypatch.setenv("HUB_METRICS_TOKEN", TOKEN)
    api = client(app)
    agency_token = api.get("/metrics", headers=bearer(app, MANAGER))
    nothing = api.get("/metrics")
    for answer in (unset, agency_token, nothing):
        assert_problem(answer, 404, "http-404")
    assert api.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_metrics_count_requests_by_route_template_and_show_the_lag(app: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_METRICS_TOKEN", TOKEN)
    api = client(app)
    created = api.post("/v1/referrals", json=referral_content().model_dump(mode="json"),
                       headers={**bearer(app, INSPECTOR), "Idempotency-Key": "k-2"}).json()
    assert api.get(f"/v1/referrals/{created['id']}", headers=bearer(app, MANAGER)).status_code == 200
    text = api.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text

    assert 'route="/v1/referrals/{referral_id}"' in text and created["id"] not in text
    assert 'hub_http_requests_total{method="POST",route="/v1/referrals",status="201"}' in text
    assert "hub_projection_lag_events" in text and "hub_overdue_notices" in text
    assert "hub_group_commit_batch_events_count" in text


def test_every_answer_carries_a_request_id_and_a_plain_one_sent_is_kept(app: Hub) -> None:
    api = client(app)
    assert api.get("/health", headers={"X-Request-Id": "lb-7f3a"}).headers["X-Request-Id"] == "lb-7f3a"
    made = api.get("/health", headers={"X-Request-Id": "Aziz Karimov"}).headers["X-Request-Id"]
    assert made != "Aziz Karimov" and len(made) == 32  # not echoed: a new id instead


NAMES = {"child__given_name": "Zhansaya", "child__family_name": "Temirbekova", "referrer__name": "Gulnara Abenova"}


@pytest.mark.slow  # starts hub serve
def test_the_logs_of_a_run_hold_no_name_it_was_sent(tmp_path: Path) -> None:
    """``hub serve`` as deployed (JSON lines on stderr), sent referrals with names - accepted, refused,
    malformed - and asked for them; then its whole log is searched for every name."""
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    env = {"HUB_DATABASE_URL": url, "HUB_MASTER_KEY": TEST_MASTER_KEY}
    hub = bootstrap(env)
    register_agencies(hub)
    headers = {**bearer(hub, INSPECTOR), "Idempotency-Key": "k-3"}
    hub.close()
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "hub.cli.main", "serve", "--port", str(port), "--workers", "1"],
            env={**os.environ, **env, "HUB_LOG_LEVEL": "DEBUG"}, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base), 180, "hub serve to start")
        body = referral_content(**NAMES).model_dump(mode="json")
        with httpx.Client(base_url=base, timeout=30) as http:
            created = http.post("/v1/referrals", json=body, headers=headers)
            assert created.status_code == 201
            http.get(f"/v1/referrals/{created.json()['id']}", headers=headers)
            refused = {**body, "child": {**body["child"], "stated_age": "Zhansaya Temirbekova"}}
            assert http.post("/v1/referrals", json=refused, headers={**headers, "Idempotency-Key": "k-4"}).status_code == 422
            malformed = b'{"child": {"given_name": "Zhansaya", "family_name": "Temirbekova"'
            http.post("/v1/referrals", content=malformed, headers={**headers, "Content-Type": "application/json"})
            http.get(f"/v1/children?name={NAMES['child__given_name']}", headers=headers)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    text = log.read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    requests = [line for line in lines if line["message"] == "request"]
    assert len(requests) >= 5 and all(r.get("request_id") and r.get("route") for r in requests)
    found = [name for value in NAMES.values() for name in value.split() if name.lower() in text.lower()]
    assert found == [], text


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


BROKER_GAUGES = {"hub_consumer_lag_messages", "hub_dead_letters"}  # only with a broker configured


def test_the_dashboard_and_the_runbook_name_only_metrics_the_hub_serves(app: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    monkeypatch.setenv("HUB_METRICS_TOKEN", TOKEN)
    served = set(re.findall(r"^# TYPE (hub_\w+)", client(app).get(
        "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text, re.M))
    served = {name.removesuffix("_total") for name in served if not name.endswith("_created")}
    dashboard = json.loads((ROOT / "deploy/grafana/referral-hub.json").read_text())
    charted = {re.sub(r"_(bucket|sum|count|total)$", "", m)
               for p in dashboard["panels"] for t in p["targets"] for m in re.findall(r"hub_\w+", t["expr"])}
    runbook = (ROOT / "deploy/OPERATOR.md").read_text()
    explained = {m.removesuffix("_total") for m in re.findall(r"^\| `(hub_\w+)", runbook, re.M)}
    assert charted - BROKER_GAUGES <= served and explained - BROKER_GAUGES <= served
    assert served <= explained  # every metric the hub serves is explained


def test_every_hub_service_of_the_deployment_has_a_health_check() -> None:
    import yaml

    services = yaml.safe_load((ROOT / "deploy/docker-compose.yml").read_text())["services"]
    long_running = {name for name, s in services.items()
                    if str(s.get("image", "")).startswith("referral-hub") and "create-topics" not in s["command"]}
    assert long_running == {"api", "project", "relay", "ingest", "escalate", "deliver", "seal", "retention"}
    for name in long_running:
        test = services[name]["healthcheck"]["test"]
        assert "/ready" in " ".join(test) if name == "api" else test[1:4] == ["hub", "check", name], name
