"""Follows the log in this process, so that what any process records reaches this one's caches.

Each process keeps a few things in memory that the log changes: the agency
directory, the dossiers that commands' answers are judged on, the children's
keys. The follower reads the log after the last position it saw and tells each
listener of every new event; a listener decides from the stored event's topic
and ids (cheap) whether to decode it (dear). In a serving process it runs on a
thread of its own (:meth:`run`); elsewhere (the CLI, the tests) a cache calls
:meth:`follow` before it answers, so a second hub opened on the same store sees
the first one's changes at once.

What this process saved itself is handed over by the save (:meth:`saved`): the
listeners still hear of it in the log's order, with the event as saved and the
aggregate as the save left it, so it is neither decoded from the store nor folded
again (under load, that was a tenth of a serving process's CPU: issue #13). Nor is
it read back: the save's recordings hold each event as stored, at its position, so
only the positions between them are read (docs/decisions/0064).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from typing import Any, NamedTuple, Protocol

from eventsourcing.persistence import Notification, Recording

log = logging.getLogger(__name__)

BATCH = 500
# Saves handed over and not yet followed, at most: a process that saves and seldom follows (a worker that
# answers no one) must not keep them all; those let go are read from the store when followed, as before.
SAVED_KEPT = 10_000


class Saved(NamedTuple):
    """An event this process saved, and a copy of its aggregate as that save left it."""

    event: Any
    aggregate: Any


class Handed(NamedTuple):
    """A position this process's save committed: the event as stored there and, if a listener keeps its
    aggregate, as saved."""

    stored: Notification
    saved: Saved | None


class Followed:
    """A new event of the log, as each listener is told of it."""

    def __init__(self, stored: Notification, mapper: Any, saved: Saved | None) -> None:
        self._stored, self._mapper = stored, mapper
        self._event = saved.event if saved is not None else None
        # The aggregate as this process's save left it (with this event and any later ones of the same save),
        # for a listener to hold instead of folding the event; None for an event another process wrote.
        self.saved = saved.aggregate if saved is not None else None

    def event(self) -> Any:
        """The domain event, decoded at most once for all listeners; never, if this process saved it."""
        if self._event is None:
            self._event = self._mapper.to_domain_event(self._stored)
        return self._event


class Listener(Protocol):
    def notice(self, stored: Notification, followed: Followed) -> None:
        """A new event: ``stored`` as the store holds it, ``followed`` to decode it (dear) if needed."""

    def keeps(self, aggregate: Any) -> bool:
        """Whether the listener may hold ``aggregate`` as a save of this process left it (``Followed.saved``)."""


class Follower:
    def __init__(self, recorder: Any, mapper: Any, background: bool = False, saved_kept: int = SAVED_KEPT) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self.background = background
        self.listeners: list[Listener] = []
        self.position = recorder.max_notification_id() or 0
        # One lock for following and for reading what the listeners hold: with a lock each, a thread
        # reading a dossier that looks up the directory and a thread following into that dossier
        # waited for each other for ever.
        self._lock = threading.RLock()
        self._reading = threading.local()
        # What this process saved, by log position, until the follower reaches it; under a lock of its own,
        # so that a command handing it over never waits for a follow in progress.
        self._own: dict[int, Handed] = {}
        self._saved_kept = saved_kept
        self._own_lock = threading.Lock()

    def listen(self, listener: Listener) -> None:
        self.listeners.append(listener)

    def saved(self, recordings: list[Recording], aggregates: Iterable[Any]) -> None:
        """A save of this process has committed ``recordings``, the events of ``aggregates``."""
        ahead = [r for r in recordings if r.notification.id > self.position]  # the rest were read from the store
        wanted = {r.domain_event.originator_id for r in ahead}
        # Copies, as the command may go on changing its own. Even a save that handed its aggregates over
        # (they went to the repository's cache, not copied) needs one: the folds advance what they hold in
        # place, on the follower's thread, and a shared object would change while the cache copies it. Raw
        # events saved without an aggregate are left to be decoded from the event as stored, if a listener asks,
        # and so are those no listener keeps (a Kafka poll's new children, not held: issue #13).
        copies = {
            a.id: deepcopy(a) for a in aggregates
            if getattr(a, "id", None) in wanted and any(listener.keeps(a) for listener in self.listeners)
        }
        with self._own_lock:
            for recording in ahead:
                aggregate = copies.get(recording.domain_event.originator_id)
                saved = Saved(recording.domain_event, aggregate) if aggregate is not None else None
                self._own[recording.notification.id] = Handed(recording.notification, saved)
            while len(self._own) > self._saved_kept:
                del self._own[next(iter(self._own))]  # the earliest handed over

    def _saved_at(self, position: int) -> Saved | None:
        with self._own_lock:
            handed = self._own.pop(position, None)
        return handed.saved if handed is not None else None

    def _handed_next(self) -> tuple[list[Handed], int | None]:
        """The saves handed over from the next position on, without a position between them; if the next
        position is not one of them, none, and the first position beyond it that is (None if none is)."""
        with self._own_lock:
            run: list[Handed] = []
            while (handed := self._own.pop(self.position + 1 + len(run), None)) is not None:
                run.append(handed)
            if run:
                return run, None
            return [], min((p for p in self._own if p > self.position), default=None)

    def _forget_saved_up_to(self, position: int) -> None:
        """What a save handed over once the follower had passed it (then read from the store): never kept."""
        with self._own_lock:
            for passed in [p for p in self._own if p <= position]:
                del self._own[passed]

    def follow(self) -> int:
        """Hands every event recorded since the last call to the listeners; returns the position reached."""
        with self._lock:
            while True:
                run, handed_later = self._handed_next()
                for handed in run:
                    self._tell(handed.stored, handed.saved)
                if run:
                    continue
                # Only up to the next position a save handed over: that one and those after it are known.
                stop = handed_later - 1 if handed_later is not None else None
                notifications = self.recorder.select_notifications(start=self.position + 1, limit=BATCH, stop=stop)
                for stored in notifications:
                    self._tell(stored, self._saved_at(stored.id))
                if len(notifications) == BATCH:
                    continue
                if handed_later is None:
                    break
                # Positions are issued in commit order and the handed-over one is committed: a position before
                # it that was not read is a gap (a transaction that never committed), never an event to come.
                self.position = handed_later - 1
            if self._own:
                self._forget_saved_up_to(self.position)
            return self.position

    def _tell(self, stored: Notification, saved: Saved | None) -> None:
        followed = Followed(stored, self.mapper, saved)
        for listener in self.listeners:
            listener.notice(stored, followed)
        self.position = stored.id

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Holds the listeners still while the caller reads what they hold."""
        with self._lock:
            depth = getattr(self._reading, "depth", 0)
            self._reading.depth = depth + 1
            try:
                yield
            finally:
                self._reading.depth = depth

    def current(self) -> None:
        """Brings the caches up to the log now, unless a thread of their own does it, or this thread is
        reading them: following then would change the records under its feet."""
        if not self.background and not getattr(self._reading, "depth", 0):
            self.follow()

    def run(self, stop: threading.Event, interval: float) -> None:
        """Follows until ``stop`` is set; a failure (the database away) is logged and tried again."""
        while not stop.is_set():
            try:
                self.follow()
            except Exception:
                log.warning("following the log failed; trying again", exc_info=True)
            stop.wait(interval)
