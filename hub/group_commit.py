"""Group commit: the saves that arrive together share one transaction (decision in docs/benchmarks.md).

Appending to the log is serial by design: PostgreSQL's recorder takes an
EXCLUSIVE lock on the events table so that positions are issued in commit
order, and SQLite has one writer. Each transaction pays a commit (a WAL flush),
so serial saves stop at the rate of flushes. Here one writer thread per
application takes every save waiting for it (up to ``MAX_EVENTS`` events) and
inserts their events with a single ``insert_events``: one lock, one hash-chain
append, one subject-index write, one commit. It never waits for company: a
lone save is written as soon as the writer is free.

What each caller sees is unchanged:
- ``save`` returns only once its own events are committed, with its own
  notification ids;
- a save is still all or nothing: the batch commits as a whole or not at all;
- a batch refused for an ``IntegrityError`` (a lost optimistic-concurrency race,
  a repeated idempotent create) is retried save by save, each in its own
  transaction, so only the conflicting caller gets the error and the others
  commit as if they had been alone;
- any other failure (the database away) reaches every caller of the batch,
  and nothing of the batch is stored.

``HUB_GROUP_COMMIT=off`` restores one transaction per save.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import AggregateRecorder, EventStore, IntegrityError, StoredEvent
from eventsourcing.utils import strtobool

SETTING = "HUB_GROUP_COMMIT"
MAX_EVENTS = 2000  # per transaction: bounds the time the log's lock is held


class _Save:
    """One caller's events, and what became of them."""

    def __init__(self, events: Sequence[StoredEvent]) -> None:
        self.events = events
        self.done = threading.Event()
        self.ids: Sequence[int] | None = None
        self.error: BaseException | None = None

    def settle(self, ids: Sequence[int] | None = None, error: BaseException | None = None) -> None:
        self.ids, self.error = ids, error
        self.done.set()

    def outcome(self) -> Sequence[int] | None:
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.ids


_STOP = object()


class GroupCommit(AggregateRecorder):
    """Stands in for the application's recorder in its event store; reads go straight through."""

    def __init__(self, recorder: AggregateRecorder, max_events: int = MAX_EVENTS) -> None:
        self.recorder = recorder
        self.max_events = max_events
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._lock = threading.Lock()  # orders every enqueued save before the writer's stop
        self._closed = False

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        save = _Save(stored_events)
        with self._lock:
            # The library passes tracking=None with every save; only a real one is private.
            shared = stored_events and not self._closed and not any(kwargs.values())
            if shared:
                self._ensure_writer()
                self._queue.put(save)
        if not shared:
            # A tracked save (a process application's position) cannot share a transaction with others.
            return self.recorder.insert_events(stored_events, **kwargs)
        return save.outcome()

    def select_events(
        self, originator_id: UUID | str, *, gt: int | None = None, lte: int | None = None, desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        return self.recorder.select_events(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)

    @property
    def waiting(self) -> int:
        """Saves queued for the writer and not yet taken: how far writing lags behind the commands."""
        return self._queue.qsize()

    def close(self) -> None:
        """Writes what is queued, then stops the writer; later saves go straight to the recorder."""
        with self._lock:
            self._closed = True
            writer = self._writer
            if writer is not None and writer.is_alive():
                self._queue.put(_STOP)
        if writer is not None and writer is not threading.current_thread():
            writer.join()

    # -- the writer ------------------------------------------------------------------------------

    def _ensure_writer(self) -> None:
        # Started on first use, and again in a forked child, where the parent's thread does not exist.
        if self._writer is None or not self._writer.is_alive():
            self._writer = threading.Thread(target=self._write, name="hub-group-commit", daemon=True)
            self._writer.start()

    def _write(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch, size, stop = [first], len(first.events), False
            while size < self.max_events:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is _STOP:
                    stop = True
                    break
                batch.append(more)
                size += len(more.events)
            self._commit(batch)
            if stop:
                return

    def _commit(self, batch: list[_Save]) -> None:
        try:
            ids = self.recorder.insert_events([event for save in batch for event in save.events])
        except IntegrityError as error:
            if len(batch) == 1:
                batch[0].settle(error=error)
                return
            for save in batch:  # find the conflicting save(s); the others commit alone
                self._commit([save])
        except BaseException as error:  # noqa: BLE001 - every caller must hear of it, and the writer must live on
            for save in batch:
                save.settle(error=error)
        else:
            start = 0
            for save in batch:
                end = start + len(save.events)
                save.settle(ids=None if ids is None else ids[start:end])
                start = end


class GroupCommitting(Application):
    """Saves through a :class:`GroupCommit` unless ``HUB_GROUP_COMMIT`` is off."""

    group_commit: GroupCommit | None = None

    def construct_event_store(self) -> EventStore[Any]:
        if not strtobool(self.env.get(SETTING) or "on"):
            return super().construct_event_store()
        self.group_commit = GroupCommit(self.recorder)
        return self.factory.event_store(mapper=self.mapper, recorder=self.group_commit)

    def close(self) -> None:
        if self.group_commit is not None:
            self.group_commit.close()
        super().close()
