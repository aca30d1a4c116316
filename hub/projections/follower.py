"""Follows the log in this process, so that what any process records reaches this one's caches.

Each process keeps a few things in memory that the log changes: the agency
directory, the dossiers that commands' answers are judged on, the children's
keys. The follower reads the log after the last position it saw and tells each
listener of every new event; a listener decides from the stored event's topic
and ids (cheap) whether to decode it (dear). In a serving process it runs on a
thread of its own (:meth:`run`); elsewhere (the CLI, the tests) a cache calls
:meth:`follow` before it answers, so a second hub opened on the same store sees
the first one's changes at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from eventsourcing.persistence import Notification

log = logging.getLogger(__name__)

BATCH = 500


class Listener(Protocol):
    def notice(self, stored: Notification, decode: Callable[[], Any]) -> None:
        """A new event: ``decode()`` gives the domain event, decoded at most once for all listeners."""


class Follower:
    def __init__(self, recorder: Any, mapper: Any, background: bool = False) -> None:
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

    def listen(self, listener: Listener) -> None:
        self.listeners.append(listener)

    def follow(self) -> int:
        """Hands every event recorded since the last call to the listeners; returns the position reached."""
        with self._lock:
            while notifications := self.recorder.select_notifications(start=self.position + 1, limit=BATCH):
                for stored in notifications:
                    decoded: list[Any] = []

                    def decode(stored: Notification = stored, decoded: list[Any] = decoded) -> Any:
                        if not decoded:
                            decoded.append(self.mapper.to_domain_event(stored))
                        return decoded[0]

                    for listener in self.listeners:
                        listener.notice(stored, decode)
                    self.position = stored.id
                if len(notifications) < BATCH:
                    break
            return self.position

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
