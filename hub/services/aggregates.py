"""What the services need of the event store: load an aggregate, look one up, save."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Recording

from hub.application import HubApplication
from hub.crypto.ids import RecordIds
from hub.errors import NotFound

A = TypeVar("A")


class Aggregates:
    def __init__(self, store: HubApplication) -> None:
        self.store = store

    def load(self, kind: type[A], aggregate_id: UUID, what: str) -> A:
        """The aggregate, or NotFound; an id of the wrong kind is not found either."""
        aggregate = self.find(aggregate_id)
        if not isinstance(aggregate, kind):
            raise NotFound(f"no {what} {aggregate_id}")
        return aggregate

    def find(self, aggregate_id: UUID) -> Any | None:
        try:
            return self.store.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def changed_since(self, aggregate_id: UUID, version: int) -> bool:
        """Whether the store holds an event of the aggregate after ``version``: one statement by the events
        table's primary key, which a process keeping an aggregate in memory can afford on every use."""
        return bool(self.store.recorder.select_events(aggregate_id, gt=version, limit=1))

    def exists(self, aggregate_id: UUID) -> bool:
        """Whether any event of the aggregate was stored, without decoding it."""
        return bool(self.store.recorder.select_events(aggregate_id, limit=1))

    @property
    def ids(self) -> RecordIds:
        """Ids fixed by a natural key, which no caller can compute (hub/crypto/ids.py)."""
        return self.store.record_ids

    def save(self, *aggregates: Any) -> list[Recording]:
        return self.store.save(*aggregates)
