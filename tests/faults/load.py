"""Referrals streamed into the hub: agency messages on the adapters' Kafka topics, and POSTs to
/v1/referrals from clients that do what a real client does when the server dies under them - send the
same request again, with the same Idempotency-Key, until it is answered."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

import httpx
from kafka import KafkaProducer

from adapters.commands import SubmitReferral
from adapters.receipt import receipt_id_for
from adapters.registry import ADAPTERS
from hub.actor import Actor
from hub.bootstrap import Hub
from hub.crypto.ids import RecordIds
from hub.kafka.settings import KafkaSettings
from tests.builders import ADMIN, INSPECTOR, referral_content
from tests.kafka_support import Signers
from tests.test_kafka_ingest import SENT, sample

PRODUCE_TIMEOUT = 120.0
REQUEST_TIMEOUT = 120.0  # a request can wait behind the views catching up after a restart
RETRY_PAUSE = 0.2


@dataclass(frozen=True)
class Message:
    adapter: str
    actor: Actor
    message_id: str

    def receipt_id(self, ids: RecordIds) -> UUID:
        """The receipt the hub stores with what the message applied: at most one per message id."""
        return receipt_id_for(ids, self.actor.agency, self.adapter, self.message_id)


def _referrals_in(adapter: str, value: bytes) -> int:
    translation = ADAPTERS[adapter].translate(ADAPTERS[adapter].parse(value))
    return sum(isinstance(c, SubmitReferral) for c in translation.commands)


class KafkaReferrals:
    """Messages of each agency in turn (tests/test_kafka_ingest.py SENT), each under its own message id,
    until they make at least ``referrals`` referrals (the Ombudsman's concern is about three children)."""

    def __init__(self, hub: Hub, settings: KafkaSettings, referrals: int, tag: str) -> None:
        self.settings = settings
        self.signer = Signers(hub)
        self.values = {adapter: sample(adapter, name) for adapter, (name, _) in SENT.items()}
        self.each = {adapter: _referrals_in(adapter, value) for adapter, value in self.values.items()}
        self.messages: list[Message] = []
        self.referrals = 0
        self.produced: dict[str, dict[int, int]] = {}  # per topic and partition, the offset after the last message
        adapters = list(SENT)
        while self.referrals < referrals:
            adapter = adapters[len(self.messages) % len(adapters)]
            self.messages.append(Message(adapter, SENT[adapter][1], f"{tag}-{len(self.messages)}"))
            self.referrals += self.each[adapter]

    @property
    def adapters(self) -> list[str]:
        return sorted({m.adapter for m in self.messages})

    def headers(self, message: Message) -> dict[str, str]:
        value = self.values[message.adapter]
        return self.signer(message.actor).headers(message.adapter, message.actor, value, message.message_id)

    def produce(self, messages: Sequence[Message]) -> None:
        """Sends the messages and returns once the broker acknowledged each, noting where each went: Tansu
        0.6 reports a partition's end as the first offset of its last record batch, plus one."""
        producer = KafkaProducer(**self.settings.producer_config())
        try:
            futures = [
                producer.send(
                    self.settings.inbound_topic(m.adapter), key=m.message_id.encode(), value=self.values[m.adapter],
                    headers=[(k, v.encode()) for k, v in self.headers(m).items()],
                )
                for m in messages
            ]
            producer.flush(timeout=PRODUCE_TIMEOUT)
            for future in futures:
                sent = future.get(timeout=0)
                ends = self.produced.setdefault(sent.topic, {})
                ends[sent.partition] = max(ends.get(sent.partition, 0), sent.offset + 1)
        finally:
            producer.close()


class HttpReferrals:
    """``count`` referrals POSTed by ``clients`` threads, each under its own Idempotency-Key.

    A connection refused, reset or cut (the server killed), or a 5xx, is retried with the same key;
    any other answer is final. ``acknowledged`` holds the referral each 2xx named, ``answers`` counts
    what the clients were answered.
    """

    def __init__(self, hub: Hub, base_url: str, count: int, clients: int, tag: str, timeout: float) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {hub.tokens.issue_token(ADMIN, INSPECTOR, None)}"}
        self.body = referral_content().model_dump(mode="json")
        self.keys = [f"{tag}-{i}" for i in range(count)]
        self.clients = clients
        self.deadline = time.monotonic() + timeout
        self.acknowledged: dict[str, UUID] = {}
        self.answers: Counter[str] = Counter()  # "201", "200 replayed", "retried after ConnectError", ...
        self.refused: list[tuple[str, int, str]] = []
        self.unanswered: list[str] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        self._threads = [
            threading.Thread(target=self._client, args=(self.keys[i :: self.clients],), name=f"http-client-{i}")
            for i in range(self.clients)
        ]
        for thread in self._threads:
            thread.start()

    def join(self) -> None:
        for thread in self._threads:
            thread.join(timeout=max(self.deadline - time.monotonic(), 0) + REQUEST_TIMEOUT)

    def _client(self, keys: list[str]) -> None:
        with httpx.Client(base_url=self.base_url, timeout=REQUEST_TIMEOUT) as http:
            for key in keys:
                self._submit(http, key)

    def _note(self, answer: str) -> None:
        with self._lock:
            self.answers[answer] += 1

    def _submit(self, http: httpx.Client, key: str) -> None:
        while time.monotonic() < self.deadline:
            try:
                response = http.post("/v1/referrals", json=self.body, headers={**self.headers, "Idempotency-Key": key})
            except httpx.TransportError as error:
                self._note(f"retried after {type(error).__name__}")
                time.sleep(RETRY_PAUSE)
                continue
            if response.status_code >= 500:  # the server failed, not the request: the same key makes it safe
                self._note(f"retried after {response.status_code}")
                time.sleep(RETRY_PAUSE)
                continue
            replayed = response.headers.get("Idempotency-Replayed") == "true"
            self._note(f"{response.status_code}{' replayed' if replayed else ''}")
            with self._lock:
                if response.is_success:
                    self.acknowledged[key] = UUID(response.json()["id"])
                else:
                    self.refused.append((key, response.status_code, response.text[:500]))
            return
        with self._lock:
            self.unanswered.append(key)
