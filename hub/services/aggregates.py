"""What the services need of the event store: load an aggregate, look one up, save."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError, Recording

from hub.application import HubApplication
from hub.crypto.ids import RecordIds
from hub.errors import NotFound
from hub.services.unit_of_work import UnitOfWork

A = TypeVar("A")


class Aggregates:
    def __init__(self, store: HubApplication) -> None:
        self.store = store
        self._units = threading.local()  # each thread's open unit of work, if any

    def load(self, kind: type[A], aggregate_id: UUID, what: str) -> A:
        """The aggregate, or NotFound; an id of the wrong kind is not found either."""
        aggregate = self.find(aggregate_id)
        if not isinstance(aggregate, kind):
            raise NotFound(f"no {what} {aggregate_id}")
        return aggregate

    def find(self, aggregate_id: UUID) -> Any | None:
        unit = self.unit()
        staged = unit.get(aggregate_id) if unit is not None else None
        if staged is not None:
            return staged
        try:
            return self.store.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def find_unless_new(self, aggregate_id: UUID) -> Any | None:
        """A record that is new nearly every time (a message's receipt), if it exists. Inside an optimistic
        unit of work only the unit is asked: saving a new record under the id of a stored one fails the
        unit on the store's uniqueness, and its caller then runs it again not optimistic."""
        unit = self.unit()
        if unit is not None and unit.optimistic:
            return unit.get(aggregate_id)
        return self.find(aggregate_id)

    def changed_since(self, aggregate_id: UUID, version: int) -> bool:
        """Whether the store holds an event of the aggregate after ``version``: one statement by the events
        table's primary key, which a process keeping an aggregate in memory can afford on every use. Inside
        a unit of work, asked once per record and version: its commands were received together, and are
        judged on the store as it stood when the first of them asked."""
        unit = self.unit()
        if unit is None:
            return self._changed_since(aggregate_id, version)
        key = (aggregate_id, version)
        if key not in unit.checked:
            unit.checked[key] = self._changed_since(aggregate_id, version)
        return unit.checked[key]

    def _changed_since(self, aggregate_id: UUID, version: int) -> bool:
        return bool(self.store.recorder.select_events(aggregate_id, gt=version, limit=1))

    def exists(self, aggregate_id: UUID) -> bool:
        """Whether any event of the aggregate was stored (or staged), without decoding it."""
        unit = self.unit()
        if unit is not None and unit.get(aggregate_id) is not None:
            return True
        return bool(self.store.recorder.select_events(aggregate_id, limit=1))

    @property
    def ids(self) -> RecordIds:
        """Ids fixed by a natural key, which no caller can compute (hub/crypto/ids.py)."""
        return self.store.record_ids

    def save(self, *aggregates: Any) -> list[Recording]:
        """Saves now; inside a unit of work, stages them to be saved with the unit (no recordings yet)."""
        unit = self.unit()
        if unit is not None:
            unit.stage(aggregates)
            return []
        return self.store.save(*aggregates)

    def unit(self) -> UnitOfWork | None:
        return getattr(self._units, "open", None)

    @contextmanager
    def unit_of_work(self, optimistic: bool = False) -> Iterator[UnitOfWork]:
        """Every save of this thread inside the block is staged, then all are saved in one transaction when
        the block ends without an exception; with one, nothing is saved. Raises IntegrityError, saving nothing,
        if the unit conflicts with what another writer saved meanwhile, or within itself."""
        if self.unit() is not None:
            raise RuntimeError("a unit of work is already open on this thread")
        unit = self._units.open = UnitOfWork(optimistic)
        try:
            yield unit
        finally:
            self._units.open = None
        if unit.conflicted:
            raise IntegrityError("two commands of one unit of work made a record under the same id")
        to_save = unit.to_save()
        if to_save:
            # A unit's aggregates are not used once it is saved: the cache may keep them rather than copies.
            self.store.save(*to_save, handed_over=True)
