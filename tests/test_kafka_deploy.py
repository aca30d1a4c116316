"""deploy/ and the worker commands, checked without Docker: the compose file loads, every hub
service runs a real ``hub`` subcommand, every setting is documented, the settings parse, and a
worker process stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hub.cli.main import parser
from hub.kafka.settings import KafkaSettings, topic_safe
from tests.kafka_support import wait_for

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def documented() -> dict[str, str]:
    lines = (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def hub_services() -> dict[str, dict]:
    return {name: s for name, s in compose()["services"].items() if s.get("image", "").startswith("referral-hub")}


def test_the_compose_file_runs_kafka_in_kraft_mode_postgres_and_every_hub_process() -> None:
    services = compose()["services"]
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert "controller" in services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"]
    assert "ZOOKEEPER" not in " ".join(services["kafka"]["environment"])
    assert services["postgres"]["image"].startswith("postgres:15.")  # the image's pg_dump is 15 (0033, 0038)
    assert set(hub_services()) == {
        "create-topics", "api", "project", "ingest", "relay", "escalate", "deliver", "seal", "retention",
    }


def test_every_hub_service_runs_a_real_hub_subcommand() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert 'ENTRYPOINT ["hub"]' in dockerfile
    commands = {name: service["command"] for name, service in hub_services().items()}
    assert commands["api"][:1] == ["serve"] and "0.0.0.0" in commands["api"]
    assert commands["create-topics"] == ["kafka", "create-topics"]
    for name, command in commands.items():
        args = parser().parse_args(command)  # exits (SystemExit) on anything hub does not know
        assert callable(args.run), name


def test_hub_ingest_refuses_an_adapter_it_does_not_know(capsys: pytest.CaptureFixture[str]) -> None:
    from hub.cli.main import main

    assert main(["ingest", "--adapter", "police", "--adapter", "weather"]) == 2
    assert "no adapter weather; adapters: police, guardianship" in capsys.readouterr().err


def test_every_setting_the_processes_read_is_documented_and_nothing_else() -> None:
    read = set()
    for path in [*(ROOT / "hub").rglob("*.py"), *(ROOT / "adapters").rglob("*.py")]:
        read |= set(re.findall(r'"(HUB_[A-Z0-9_]+)"', path.read_text(encoding="utf-8")))
    read -= {"HUB_DATA_DIR"}  # the embedded SQLite store only; the deployment uses PostgreSQL
    used_by_compose = set(re.findall(r"\$\{([A-Z_]+)", (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")))
    env = documented()
    assert read <= set(env), f"undocumented: {sorted(read - set(env))}"
    postgres = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}
    assert set(env) <= read | used_by_compose | postgres, f"documented but unused: {sorted(set(env) - read - used_by_compose)}"
    assert KafkaSettings.from_env(env).bootstrap == "kafka:9092"


def test_the_settings_name_topics_and_groups_and_parse_the_api_version() -> None:
    settings = KafkaSettings.from_env({"HUB_KAFKA_API_VERSION": "2.5.0", "HUB_KAFKA_PARTITIONS": "12"})
    assert (settings.api_version, settings.partitions) == ((2, 5, 0), 12)
    assert KafkaSettings.from_env({}).api_version is None  # auto: kafka-python probes the broker
    assert "api_version" not in KafkaSettings.from_env({"HUB_KAFKA_API_VERSION": "auto"}).client_config()
    with pytest.raises(ValueError, match="HUB_KAFKA_API_VERSION"):
        KafkaSettings.from_env({"HUB_KAFKA_API_VERSION": "latest"})
    assert (settings.inbound_topic("police"), settings.dead_letter_topic("police")) == ("hub.in.police", "hub.dlq.police")
    assert (settings.outbound_topic("gta-almaty"), settings.ingest_group("police")) == ("hub.out.gta-almaty", "hub-ingest-police")
    assert topic_safe("school/12 almaty") == "school_x2f_12_x20_almaty"
    consumer, producer = settings.consumer_config("g"), settings.producer_config()
    assert consumer["enable_auto_commit"] is False and producer["acks"] == "all"
    assert producer["max_in_flight_requests_per_connection"] == 1  # order per child across retries
    secured = KafkaSettings.from_env({"HUB_KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "HUB_KAFKA_SASL_MECHANISM": "PLAIN"})
    assert secured.client_config()["security_protocol"] == "SASL_SSL"


def test_the_adapters_topics_are_the_ones_the_settings_name() -> None:
    from adapters.registry import ADAPTERS

    assert {a.topic for a in ADAPTERS.values()} == {KafkaSettings().inbound_topic(n) for n in ADAPTERS}


def test_hub_project_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    store = tmp_path / "hub.sqlite"
    env = {**os.environ, "HUB_DATABASE_URL": f"sqlite:///{store}", "HUB_POLL_INTERVAL_S": "0.05"}
    env.pop("PERSISTENCE_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "hub.cli.main", "project"], env=env, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        # The signal handlers are in place before the store is opened.
        wait_for(lambda: store.exists() or process.poll() is not None, 60, "hub project to open the store")
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
        assert process.returncode == 0, output
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_failing_ingestion_worker_stops_them_all_so_the_process_exits_for_a_restart() -> None:
    import threading
    from types import SimpleNamespace

    from hub.kafka.ingest import run_workers

    class Worker:
        def __init__(self, name: str, fails: bool) -> None:
            self.inbound, self.topic, self.fails = SimpleNamespace(name=name), f"hub.in.{name}", fails

        def run(self, stop: threading.Event) -> None:
            if self.fails:
                raise RuntimeError("a bug")
            stop.wait(30)

    stop = threading.Event()
    assert run_workers([Worker("police", False), Worker("schools", True)], stop) == ["schools"]  # type: ignore[list-item]
    assert stop.is_set()
