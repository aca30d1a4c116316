"""kafka-python clients made from the settings, and topic creation."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.errors import NoError, TopicAlreadyExistsError, for_code

from hub.kafka.settings import KafkaSettings

log = logging.getLogger(__name__)


def consumer(settings: KafkaSettings, group_id: str, topics: Iterable[str]) -> KafkaConsumer:
    client = KafkaConsumer(**settings.consumer_config(group_id))
    client.subscribe(list(topics))
    return client


def producer(settings: KafkaSettings) -> KafkaProducer:
    return KafkaProducer(**settings.producer_config())


def fencing_producer(settings: KafkaSettings) -> KafkaProducer:
    """The relay's transactional producer, its transactions initialised: once this returns, the broker has
    aborted any round a former producer with the same transactional id left open, and refuses every produce
    request of that producer still in flight (docs/decisions/0031)."""
    client = KafkaProducer(**settings.relay_producer_config())
    try:
        client.init_transactions()
    except Exception:
        close_producer(client)
        raise
    return client


def close_producer(producer: KafkaProducer | None) -> None:
    """Drops a producer and whatever it still holds.

    After a failed round its buffered records are sent again by a new producer anyway, and a
    producer can stay stuck: an idempotent producer whose id a restarted broker forgot retries
    forever (seen with Tansu), so a failed round always starts the next with a new one.
    """
    if producer is None:
        return
    try:
        producer.close(timeout=0)
    except Exception:  # noqa: BLE001 - it is being thrown away
        log.debug("closing a failed producer", exc_info=True)


class OwnProducer:
    """A producer made on first use, and dropped (``discard``) after a failed round or at the end."""

    def __init__(
        self,
        settings: KafkaSettings,
        given: KafkaProducer | None = None,
        make: Callable[[KafkaSettings], KafkaProducer] = producer,
    ) -> None:
        self.settings = settings
        self._producer = given
        self._make = make

    def __call__(self) -> KafkaProducer:
        if self._producer is None:
            self._producer = self._make(self.settings)
        return self._producer

    def discard(self) -> None:
        close_producer(self._producer)
        self._producer = None


class Topics:
    """Creates topics that do not exist yet (a broker may refuse to create them on first use)."""

    def __init__(self, settings: KafkaSettings) -> None:
        self.settings = settings
        self._known: set[str] = set()

    def ensure(
        self, names: Iterable[str], partitions: int | None = None, configs: dict[str, str] | None = None
    ) -> list[str]:
        """Creates the missing ones among ``names`` (with these topic ``configs``); returns those it created."""
        missing = sorted(set(names) - self._known)
        if not missing:
            return []
        admin = KafkaAdminClient(**self.settings.client_config())
        try:
            response = admin.create_topics(
                {
                    name: {
                        "num_partitions": partitions or self.settings.partitions,
                        "replication_factor": self.settings.replication_factor,
                        "configs": configs or {},
                    }
                    for name in missing
                },
                raise_errors=False,
            )
        finally:
            admin.close()
        created: list[str] = []
        for topic in response["topics"]:
            error = for_code(topic["error_code"])
            if error is NoError:
                created.append(topic["name"])
            elif error is not TopicAlreadyExistsError:  # made by another process meanwhile: fine
                raise error(f"cannot create topic {topic['name']}: {topic.get('error_message') or error.__name__}")
        self._known |= set(missing)
        if created:
            log.info("created topics %s", ", ".join(created))
        return created
