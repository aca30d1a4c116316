"""Group commit: the saves that arrive together share one transaction (docs/decisions/0018).

Appending to the log is serial by design: PostgreSQL's recorder takes an
EXCLUSIVE lock on the events table so that positions are issued in commit
order, and SQLite has one writer. Each transaction pays a commit (a WAL flush),
so serial saves stop at the rate of flushes. Here one caller at a time writes:
it takes every save waiting (up to ``MAX_EVENTS`` events) and inserts their
events with a single ``insert_events``: one lock, one hash-chain append, one
subject-index write, one commit. It never waits for company: a lone save is
written at once, on its caller's own thread.

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

import threading
from collections import deque
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import AggregateRecorder, EventStore, IntegrityError, StoredEvent
from eventsourcing.utils import strtobool

from hub.observability.metrics import GROUP_COMMIT

SETTING = "HUB_GROUP_COMMIT"
MAX_EVENTS = 2000  # per transaction: bounds the time the log's lock is held


class _Save:
    """One caller's events, and what became of them."""

    def __init__(self, events: Sequence[StoredEvent]) -> None:
        self.events = events
        self.woken = threading.Event()  # settled, or asked to take over the writing
        self.settled = False
        self.ids: Sequence[int] | None = None
        self.error: BaseException | None = None

    def settle(self, ids: Sequence[int] | None = None, error: BaseException | None = None) -> None:
        self.ids, self.error, self.settled = ids, error, True
        self.woken.set()

    def outcome(self) -> Sequence[int] | None:
        if self.error is not None:
            raise self.error
        return self.ids


class GroupCommit(AggregateRecorder):
    """Stands in for the application's recorder in its event store; reads go straight through.

    The writer is whichever caller finds nobody writing: it writes the waiting saves (its own
    among them) and, once its own is settled, hands the writing to the next caller waiting, so
    no caller writes for others for longer than it waits for its own save. A lone caller writes
    its own save on its own thread, with no hand-over at all.
    """

    def __init__(self, recorder: AggregateRecorder, max_events: int = MAX_EVENTS) -> None:
        self.recorder = recorder
        self.max_events = max_events
        self._lock = threading.Lock()
        self._waiting: deque[_Save] = deque()
        self._writing = False

    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if not stored_events or any(kwargs.values()):
            # The library passes tracking=None with every save; a real one (a process application's
            # position) cannot share a transaction with others.
            return self.recorder.insert_events(stored_events, **kwargs)
        save = _Save(stored_events)
        with self._lock:
            self._waiting.append(save)
            follows, self._writing = self._writing, True
        if follows:
            save.woken.wait()
        if not save.settled:
            self._write_until(save)
        return save.outcome()

    def select_events(
        self, originator_id: UUID | str, *, gt: int | None = None, lte: int | None = None, desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        return self.recorder.select_events(originator_id, gt=gt, lte=lte, desc=desc, limit=limit)

    @property
    def waiting(self) -> int:
        """Saves queued for the writer and not yet taken: how far writing lags behind the commands."""
        with self._lock:
            return len(self._waiting)

    # -- writing ---------------------------------------------------------------------------------

    def _write_until(self, own: _Save) -> None:
        try:
            while not own.settled:
                self._commit(self._take())
        finally:
            with self._lock:
                if self._waiting:
                    self._waiting[0].woken.set()
                else:
                    self._writing = False

    def _take(self) -> list[_Save]:
        with self._lock:
            batch = [self._waiting.popleft()]
            size = len(batch[0].events)
            while self._waiting and size + len(self._waiting[0].events) <= self.max_events:
                batch.append(self._waiting.popleft())
                size += len(batch[-1].events)
        return batch

    def _commit(self, batch: list[_Save]) -> None:
        try:
            ids = self.recorder.insert_events([event for save in batch for event in save.events])
        except IntegrityError as error:
            if len(batch) == 1:
                batch[0].settle(error=error)
                return
            for save in batch:  # find the conflicting save(s); the others commit alone
                self._commit([save])
        except BaseException as error:  # every caller of the batch must hear of it, not only the writer
            for save in batch:
                save.settle(error=error)
        else:
            GROUP_COMMIT.observe(sum(len(save.events) for save in batch))
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

