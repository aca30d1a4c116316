"""Kafka settings, from environment variables, and the names of topics and consumer groups.

Topics (``PREFIX`` is ``HUB_KAFKA_TOPIC_PREFIX``, default ``hub``):

- ``PREFIX.in.<adapter>``: what one kind of agency sends (police, guardianship, schools...),
  keyed by the sender's message id; read by the consumer group ``PREFIX-ingest-<adapter>``;
- ``PREFIX.dlq.<adapter>``: the messages of that topic the hub could not apply, with the reason;
- ``PREFIX.out.<agency code>``: what one body may see, keyed by child id, so the messages about
  one child stay in order on one partition;
- ``PREFIX.audit.checkpoints``: the audit log's signed checkpoints, for the oversight bodies
  (hub/kafka/checkpoints.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

_TOPIC_CHARS = re.compile(r"[^A-Za-z0-9._-]")


def _api_version(text: str) -> tuple[int, ...] | None:
    """``auto`` (or empty): kafka-python probes the broker; ``2.5.0``: that protocol version."""
    text = text.strip().lower()
    if text in ("", "auto"):
        return None
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        raise ValueError(f"HUB_KAFKA_API_VERSION must be 'auto' or like '2.5.0', not {text!r}") from None


def topic_safe(name: str) -> str:
    """A Kafka topic may hold only letters, digits, '.', '_' and '-': anything else is escaped."""
    return _TOPIC_CHARS.sub(lambda m: f"_x{ord(m.group()):x}_", name)


@dataclass(frozen=True)
class KafkaSettings:
    bootstrap: str = "127.0.0.1:9092"
    api_version: tuple[int, ...] | None = None
    prefix: str = "hub"
    client_id: str = "referral-hub"
    security: dict[str, str] = field(default_factory=dict)
    partitions: int = 6
    replication_factor: int = 1
    session_timeout_ms: int = 10_000
    poll_timeout_ms: int = 1_000
    max_poll_records: int = 200
    interval_s: float = 1.0  # how often the relay and the projector look for new events
    relay_batch: int = 100  # log positions per relay round
    flush_timeout_s: float = 30.0
    backoff_s: float = 0.5  # first wait after a transient failure; doubles up to backoff_max_s
    backoff_max_s: float = 30.0
    # How long an open round of a relay that died with no spare to fence it holds back read_committed
    # consumers before the broker aborts it (docs/decisions/0031).
    transaction_timeout_ms: int = 60_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> KafkaSettings:
        env = os.environ if environ is None else environ
        defaults = cls()

        def number(name: str, default: float, kind: type = int) -> Any:
            value = env.get(name, "")
            return kind(value) if value.strip() else default

        security = {
            option: env[variable]
            for variable, option in _SECURITY.items()
            if env.get(variable)
        }
        return cls(
            bootstrap=env.get("HUB_KAFKA_BOOTSTRAP", defaults.bootstrap),
            api_version=_api_version(env.get("HUB_KAFKA_API_VERSION", "auto")),
            prefix=env.get("HUB_KAFKA_TOPIC_PREFIX", defaults.prefix),
            client_id=env.get("HUB_KAFKA_CLIENT_ID", defaults.client_id),
            security=security,
            partitions=number("HUB_KAFKA_PARTITIONS", defaults.partitions),
            replication_factor=number("HUB_KAFKA_REPLICATION_FACTOR", defaults.replication_factor),
            session_timeout_ms=number("HUB_KAFKA_SESSION_TIMEOUT_MS", defaults.session_timeout_ms),
            poll_timeout_ms=number("HUB_KAFKA_POLL_TIMEOUT_MS", defaults.poll_timeout_ms),
            max_poll_records=number("HUB_KAFKA_MAX_POLL_RECORDS", defaults.max_poll_records),
            interval_s=number("HUB_POLL_INTERVAL_S", defaults.interval_s, float),
            relay_batch=number("HUB_RELAY_BATCH", defaults.relay_batch),
            flush_timeout_s=number("HUB_KAFKA_FLUSH_TIMEOUT_S", defaults.flush_timeout_s, float),
            backoff_s=number("HUB_RETRY_BACKOFF_S", defaults.backoff_s, float),
            backoff_max_s=number("HUB_RETRY_BACKOFF_MAX_S", defaults.backoff_max_s, float),
            transaction_timeout_ms=number("HUB_KAFKA_TRANSACTION_TIMEOUT_MS", defaults.transaction_timeout_ms),
        )

    # -- names -----------------------------------------------------------------------------------

    def inbound_topic(self, adapter: str) -> str:
        return f"{self.prefix}.in.{topic_safe(adapter)}"

    def dead_letter_topic(self, adapter: str) -> str:
        return f"{self.prefix}.dlq.{topic_safe(adapter)}"

    def outbound_topic(self, agency_code: str) -> str:
        return f"{self.prefix}.out.{topic_safe(agency_code)}"

    def checkpoint_topic(self) -> str:
        return f"{self.prefix}.audit.checkpoints"

    def ingest_group(self, adapter: str) -> str:
        return f"{self.prefix}-ingest-{topic_safe(adapter)}"

    def relay_transactional_id(self) -> str:
        """One for every relay of the deployment, leader and spares: a new leader's producer fences the former's."""
        return f"{self.prefix}-relay"

    # -- client configuration --------------------------------------------------------------------

    def client_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"bootstrap_servers": self.bootstrap.split(","), "client_id": self.client_id}
        if self.api_version is not None:
            config["api_version"] = self.api_version
        config.update(self.security)
        return config

    def consumer_config(self, group_id: str) -> dict[str, Any]:
        return {
            **self.client_config(),
            "group_id": group_id,
            "enable_auto_commit": False,  # offsets are committed only after the hub appended
            "auto_offset_reset": "earliest",
            "session_timeout_ms": self.session_timeout_ms,
            "heartbeat_interval_ms": max(self.session_timeout_ms // 3, 100),
            "max_poll_records": self.max_poll_records,
        }

    def producer_config(self) -> dict[str, Any]:
        return {
            **self.client_config(),
            "acks": "all",
            # Order per partition (so per child) comes from one request in flight at a time.
            # Not the idempotent producer: it keeps state on the broker, and a producer id the
            # broker forgot (expiry after a day idle, or a restarted Tansu) makes kafka-python
            # retry forever. The duplicates a retry can cause are what the consumers' position
            # check (deploy/OPERATOR.md) and the adapters' message ids already absorb. (The relay's
            # producer is, for its transactions: relay_producer_config.)
            "enable_idempotence": False,
            "max_in_flight_requests_per_connection": 1,
            "linger_ms": 5,
        }

    def relay_producer_config(self) -> dict[str, Any]:
        """The relay's producer: transactional, so that a new leader fences a former one's writes still in flight
        (docs/decisions/0031). Idempotent as transactions require; a producer id the broker forgot fails the
        round, and the next round starts with a new producer, as after any failed round."""
        return {
            **self.producer_config(),
            "enable_idempotence": True,
            "transactional_id": self.relay_transactional_id(),
            "transaction_timeout_ms": self.transaction_timeout_ms,
        }


# Passed to kafka-python as they are, for TLS and SASL against a secured cluster.
_SECURITY = {
    "HUB_KAFKA_SECURITY_PROTOCOL": "security_protocol",
    "HUB_KAFKA_SASL_MECHANISM": "sasl_mechanism",
    "HUB_KAFKA_SASL_USERNAME": "sasl_plain_username",
    "HUB_KAFKA_SASL_PASSWORD": "sasl_plain_password",
    "HUB_KAFKA_SSL_CAFILE": "ssl_cafile",
    "HUB_KAFKA_SSL_CERTFILE": "ssl_certfile",
    "HUB_KAFKA_SSL_KEYFILE": "ssl_keyfile",
}
