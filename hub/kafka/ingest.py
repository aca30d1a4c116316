"""Ingestion workers: one consumer group per adapter topic, a poll's messages applied in one transaction,
offsets committed only after it.

Each message is, in order:

1. authenticated: the headers ``agency``, ``role`` and ``user`` name the sender, and
   ``signature`` is the agency's Ed25519 signature of the message, by its key ``key-id``
   (hub/kafka/signing.py; the agency's kind must be one the adapter accepts, and the
   role must be allowed ``adapter.submit`` by policy/commands.yaml) - default deny:
   anything missing or wrong is dead-lettered;
2. given to the adapter, which validates and translates it and stages its commands,
   idempotently by its message id (header ``message-id``, else the message key);
3. saved with every other message of the same poll, in one transaction (a unit of work,
   hub/services/unit_of_work.py; group commit may still merge it with other writers' saves);
4. committed: the consumer's offsets move past the poll only once that transaction is stored
   (and the poll's dead letters are on the broker). A crash in between redelivers the poll,
   whose messages then find their receipts and change nothing (docs/decisions/0028).

A message that cannot be applied (not JSON, invalid, refused by the adapter or by the
hub's rules, not authenticated) is left out of the transaction - the rest of the poll is
staged again without it if it had changed the unit before failing - and copied to
``PREFIX.dlq.<adapter>``: the original bytes and headers (less any ``authorization`` header), plus a
``dlq-reason`` header with a JSON reason that names the offending field but none of its content. A transient failure (the
database away) is never dead-lettered: the poll is retried, with growing pauses, and not
committed. A poll that keeps conflicting with other writers is applied message by message.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import IntegrityError
from kafka import KafkaConsumer, KafkaProducer
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata, TopicPartition

from hub.actor import Actor
from hub.aggregates.vocabulary import BodyKind
from hub.bootstrap import Hub
from hub.errors import Conflict, HubError
from hub.kafka.clients import OwnProducer, Topics
from hub.kafka.clients import consumer as make_consumer
from hub.kafka.running import Backoff
from hub.kafka.settings import KafkaSettings
from hub.kafka.signing import signature_of, signed_bytes
from hub.kafka.transient import TRANSIENT, is_transient
from hub.observability.heartbeat import beat
from hub.observability.metrics import INGESTED
from hub.permissions import may
from hub.services.conflicts import ATTEMPTS
from hub.store import discard_dead_connections

log = logging.getLogger(__name__)

# Headers that are not copied to the dead-letter topic: a bearer token is a secret.
_NOT_COPIED = {"authorization"}
# What of a refusal may go into a dead-letter reason: codes and field paths, never values.
_REASON_KEYS = ("reason", "field", "status", "rule", "command_index", "state", "command", "problem_type")


SUBMIT = "adapter.submit"  # the command (policy/commands.yaml) a sender's role needs, over Kafka as over HTTP

Receive = Callable[["Hub", Actor, bytes, str], Any]  # (hub, sender, message bytes, message id) -> applied


def _submitting(raw: bytes) -> str:
    return SUBMIT


@dataclass(frozen=True)
class Inbound:
    """How the messages of one inbound topic are received."""

    name: str
    kinds: frozenset[BodyKind]  # the kinds of body that may send them
    receive: Receive
    # The command of policy/commands.yaml the sender's role needs for this message, as over HTTP.
    command: Callable[[bytes], str] = _submitting


class _Rebuild(Exception):
    """A message failed after changing a record of the unit of work: the unit is built again without it."""


class DeadLetter(Exception):
    """The message cannot be applied, for this reason: it goes to the dead-letter topic."""

    def __init__(self, stage: str, reason: str, field: str | None = None, **extra: Any) -> None:
        super().__init__(reason)
        self.document = {"stage": stage, "reason": reason, "field": field, **extra}


def refusal(error: BaseException) -> DeadLetter:
    """The reason for a refusal by the adapter or the hub: codes and field paths only, never the
    error's text (a validation message can quote the value, e.g. a child's age)."""
    if isinstance(error, HubError):
        facts = {"reason": getattr(error, "reason", None) or error.problem_type, **error.extensions}
        if isinstance(getattr(error, "field", None), str):
            facts["field"] = error.field  # type: ignore[attr-defined]
        kept = {k: facts[k] for k in _REASON_KEYS if facts.get(k) is not None and not isinstance(facts[k], dict)}
        errors = facts.get("errors")
        if isinstance(errors, list):
            kept["errors"] = [{"field": e.get("field"), "reason": e.get("reason")} for e in errors if isinstance(e, dict)]
        reason, field = kept.pop("reason"), kept.pop("field", None)
        return DeadLetter("apply", str(reason), field if isinstance(field, str) else None, **kept)
    return DeadLetter("apply", "internal-error", None, error=type(error).__name__)


def _headers(record: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in record.headers or []:
        try:
            found[key.lower()] = value.decode() if isinstance(value, bytes) else str(value)
        except UnicodeDecodeError:
            continue
    return found


def message_id(record: Any, headers: dict[str, str]) -> str:
    if headers.get("message-id", "").strip():
        return headers["message-id"].strip()
    if record.key:
        try:
            return record.key.decode().strip()
        except UnicodeDecodeError:
            pass
    raise DeadLetter("identify", "missing-message-id", "headers.message-id")


class IngestWorker:
    """Consumes one adapter's topic in the group ``PREFIX-ingest-<adapter>``."""

    def __init__(
        self,
        hub: Hub,
        settings: KafkaSettings,
        inbound: Inbound,
        consumer: KafkaConsumer | None = None,
        producer: KafkaProducer | None = None,
    ) -> None:
        self.hub = hub
        self.settings = settings
        self.inbound = inbound
        self.topic = settings.inbound_topic(inbound.name)
        self.dead_letter_topic = settings.dead_letter_topic(inbound.name)
        self._consumer = consumer
        self.producer = OwnProducer(settings, producer)
        self.applied = 0
        self.dead_lettered = 0
        self.backoff = Backoff(settings.backoff_s, settings.backoff_max_s)
        self.stop = threading.Event()

    @property
    def consumer(self) -> KafkaConsumer:
        if self._consumer is None:
            # A consumer that subscribes to a topic not created yet would not see it for minutes.
            Topics(self.settings).ensure([self.topic, self.dead_letter_topic])
            self._consumer = make_consumer(self.settings, self.settings.ingest_group(self.inbound.name), [self.topic])
        return self._consumer

    def close(self) -> None:
        if self._consumer is not None:
            self._consumer.close()
        self.producer.discard()

    # -- one message -----------------------------------------------------------------------------

    def authenticate(self, record: Any, headers: dict[str, str]) -> Actor:
        """The sender the headers name, if their agency signed this very message with one of its active keys
        (hub/kafka/signing.py, docs/decisions/0027); the hub keeps public keys only, never a sender's secret."""
        agency, role, user, key_id = (headers.get(name, "") for name in ("agency", "role", "user", "key-id"))
        try:
            identity = message_id(record, headers)
        except DeadLetter:
            identity = ""  # signed as such; identifying it says what is missing once the sender is known
        signed = signed_bytes(self.inbound.name, identity, agency, role, user, key_id, record.value or b"")
        signature = signature_of(headers.get("signature", ""))
        found = None
        if all(v.strip() for v in (agency, role, user, key_id)) and signed is not None and signature is not None:
            found = self.hub.agency_keys.verify(agency, key_id, signature, signed)
        if found is None:
            # One answer for every failed check: a prober learns nothing about which was wrong.
            raise DeadLetter("authenticate", "unauthenticated", "headers.signature")
        if found.kind not in self.inbound.kinds:
            raise DeadLetter("authenticate", "agency-not-allowed", "headers.agency")
        if not may(found.kind, role, self.inbound.command(record.value or b"")):  # as for the same message over HTTP
            raise DeadLetter("authenticate", "forbidden", "headers.role")
        return Actor(agency=agency, role=role, user=user)

    def handle(self, record: Any) -> Any:
        """Applies one message, or raises DeadLetter; transient failures propagate."""
        headers = _headers(record)
        actor = self.authenticate(record, headers)
        identity = message_id(record, headers)
        try:
            return self.inbound.receive(self.hub, actor, record.value or b"", identity)
        except DeadLetter:
            raise
        except Exception as error:  # noqa: BLE001 - every other failure is this message's, not the hub's
            if is_transient(error):
                raise
            if getattr(error, "problem_type", None) == Conflict.problem_type:
                raise Conflict(error.detail) from error  # type: ignore[attr-defined]  # lost races: retry later
            if not isinstance(error, HubError):
                log.exception("%s: unexpected failure on offset %s", self.topic, record.offset)
            raise refusal(error) from error

    def dead_letter(self, record: Any, reason: DeadLetter) -> Any:
        document = {
            **reason.document,
            "source": {"topic": record.topic, "partition": record.partition, "offset": record.offset},
        }
        headers = [(k, v) for k, v in record.headers or [] if k.lower() not in _NOT_COPIED]
        headers.append(("dlq-reason", json.dumps(document, separators=(",", ":")).encode()))
        log.warning("%s[%s]@%s dead-lettered: %s", record.topic, record.partition, record.offset, reason.document["reason"])
        return self.producer().send(self.dead_letter_topic, key=record.key, value=record.value, headers=headers)

    # -- the loop --------------------------------------------------------------------------------

    def process(self, batch: dict[TopicPartition, list[Any]]) -> bool:
        """Applies a polled batch in one transaction, dead-letters what failed, then commits the offsets;
        False if a transient failure cut it short (then nothing of it is committed, and it comes again)."""
        records = [record for records in batch.values() for record in records]
        try:
            dead = self.apply_together(records)
            if dead is None:  # kept conflicting with other writers as a whole: message by message instead
                return self._one_by_one(batch)
            self._dead_letter_all(dead)
        except Exception as error:
            if not is_transient(error):
                raise
            log.warning("%s: transient failure (%s); the batch of %s will be retried", self.topic,
                        type(error).__name__, len(records))
            self.producer.discard()
            self._rewind(batch, {})
            return False
        self._commit({tp: records[-1].offset + 1 for tp, records in batch.items() if records})
        return True

    def apply_together(self, records: list[Any]) -> list[tuple[Any, DeadLetter]] | None:
        """Applies every record that can be in one unit of work; returns those that cannot, with the reason,
        or None if the unit kept losing races with other writers. A message that fails after changing the
        unit (a record another message changed too, or a part of itself staged) is left out and the unit
        built again without it, so that nothing of a failed message is saved."""
        excluded: dict[int, DeadLetter] = {}
        conflicts = 0
        while conflicts < ATTEMPTS:
            try:
                # At first receipts are not looked up (nearly every message is new); a repeat among them
                # fails the unit on the store's uniqueness, and the next attempt looks them up.
                with self.hub.aggregates.unit_of_work(optimistic=not conflicts) as unit:
                    for index, record in enumerate(records):
                        if index in excluded:
                            continue
                        mark = unit.mark()
                        try:
                            self.handle(record)
                        except DeadLetter as reason:
                            excluded[index] = reason
                            if unit.changed_since(mark):
                                raise _Rebuild from None
            except _Rebuild:
                continue
            except IntegrityError:
                conflicts += 1
                continue
            self.applied += len(records) - len(excluded)
            INGESTED.labels(self.inbound.name, "applied").inc(len(records) - len(excluded))
            return [(records[index], reason) for index, reason in sorted(excluded.items())]
        return None

    def _dead_letter_all(self, dead: list[tuple[Any, DeadLetter]]) -> None:
        """Copies each to the dead-letter topic and waits until the broker has them all."""
        if not dead:
            return
        futures = [self.dead_letter(record, reason) for record, reason in dead]
        self.producer().flush(timeout=self.settings.flush_timeout_s)
        for future in futures:
            future.get(timeout=0)
        self.dead_lettered += len(dead)
        INGESTED.labels(self.inbound.name, "dead_lettered").inc(len(dead))

    def _one_by_one(self, batch: dict[TopicPartition, list[Any]]) -> bool:
        """Each message in a transaction of its own (retried on conflicts); commits what was done."""
        done: dict[TopicPartition, int] = {}
        dead: list[tuple[Any, DeadLetter]] = []
        failed = False
        for tp, records in batch.items():
            for record in records:
                try:
                    self.handle(record)
                    self.applied += 1
                    INGESTED.labels(self.inbound.name, "applied").inc()
                except DeadLetter as reason:
                    dead.append((record, reason))
                except Exception as error:
                    if not is_transient(error):
                        raise
                    log.warning("%s: transient failure (%s); will retry offset %s", self.topic,
                                type(error).__name__, record.offset)
                    failed = True
                    break
                done[tp] = record.offset + 1
            if failed:
                break
        try:
            self._dead_letter_all(dead)
        except TRANSIENT:
            # The dead letters may not have reached the broker: commit nothing, see it all again.
            self.producer.discard()
            self._rewind(batch, {})
            return False
        self._commit(done)
        if failed:
            self._rewind(batch, done)
        return not failed

    def _commit(self, done: dict[TopicPartition, int]) -> None:
        if not done:
            return
        try:
            self.consumer.commit({tp: OffsetAndMetadata(offset, "", -1) for tp, offset in done.items()})
        except KafkaError as error:
            # Not fatal: the messages come again (to this or another worker) and apply as repeats.
            log.warning("%s: commit failed (%s); the messages will be redelivered", self.topic, type(error).__name__)

    def _rewind(self, batch: dict[TopicPartition, list[Any]], done: dict[TopicPartition, int]) -> None:
        for tp, records in batch.items():
            if records:
                self.consumer.seek(tp, done.get(tp, records[0].offset))

    def poll_once(self) -> int:
        batch = self.consumer.poll(timeout_ms=self.settings.poll_timeout_ms, max_records=self.settings.max_poll_records)
        if not batch:
            return 0
        if self.process(batch):
            self.backoff.reset()
        else:
            discard_dead_connections(self.hub.store.recorder)
            self.backoff.wait(self.stop)
        return sum(len(r) for r in batch.values())

    def run(self, stop: threading.Event | None = None) -> None:
        """Consumes until ``stop`` (or ``self.stop``) is set, then leaves the group and closes."""
        self.stop = stop or self.stop
        stop = self.stop
        try:
            while not stop.is_set():
                beat()
                try:
                    self.poll_once()
                except TRANSIENT as error:
                    log.warning("%s: broker unavailable (%s)", self.topic, type(error).__name__)
                    self.backoff.wait(stop)
        finally:
            self.close()


def run_workers(workers: Iterable[IngestWorker], stop: threading.Event) -> list[str]:
    """Runs each worker in its own thread until ``stop`` is set; returns when all have closed.

    A worker that fails (not transiently) stops them all, so that the process exits and its
    supervisor restarts it, rather than running on without that topic. Returns the failed ones.
    """
    failed: list[str] = []

    def guarded(worker: IngestWorker) -> None:
        try:
            worker.run(stop)
        except BaseException:
            log.exception("%s: the worker failed; stopping every worker", worker.topic)
            failed.append(worker.inbound.name)
            stop.set()

    threads = [threading.Thread(target=guarded, args=(w,), name=f"ingest-{w.inbound.name}") for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failed
