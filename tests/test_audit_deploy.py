"""The deployment signs with a secret of its own and ships its checkpoints out of the database
(docs/decisions/0021), checked without Docker."""

from __future__ import annotations

from pathlib import Path

from hub.audit.signing_key import FILE_ENV
from tests.test_kafka_deploy import DEPLOY, compose, documented, hub_services


def test_every_hub_process_gets_the_signing_key_as_a_secret_of_its_own() -> None:
    env = documented()
    secret = compose()["secrets"]["checkpoint_key"]
    assert env[FILE_ENV] == "/run/secrets/checkpoint_key" and not env["HUB_CHECKPOINT_KEY"]
    assert (DEPLOY / secret["file"]).resolve() == DEPLOY / "checkpoint.key"
    assert "deploy/checkpoint.key" in (DEPLOY.parent / ".gitignore").read_text().splitlines()
    for name, service in hub_services().items():
        assert "checkpoint_key" in service["secrets"], name


def test_the_seal_service_publishes_to_a_file_on_its_own_volume_and_to_the_topic() -> None:
    env = documented()
    seal = hub_services()["seal"]
    volume, mounted = seal["volumes"][0].split(":")
    assert volume in compose()["volumes"] and Path(env["HUB_CHECKPOINT_LOG"]).parent == Path(mounted)
    assert env["HUB_CHECKPOINT_KAFKA"] == "on"
    assert f"install -d -o hub -m 0750 {mounted}" in (DEPLOY / "Dockerfile").read_text()  # writable by the hub's user
    assert seal["command"][:2] == ["audit", "seal"] and float(seal["command"][seal["command"].index("--every") + 1]) <= 60
