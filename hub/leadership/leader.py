"""A worker's claim to lead its kind: the store's lock (who may work) and the lease's token (whose writes count)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Mapping
from typing import Any, Protocol

from hub.leadership.file_lock import FileLock, ProcessLock
from hub.leadership.lease import Leases
from hub.leadership.postgres_lock import PostgresLock
from hub.observability.heartbeat import beat
from hub.observability.metrics import LEADING
from hub.projections.sql import Cursor, Sql

log = logging.getLogger(__name__)

POLL_ENV = "HUB_LEADER_POLL_S"
DEFAULT_POLL_S = 1.0  # how often a follower tries the lock: the failover time after a leader's death


class Lock(Protocol):
    def try_acquire(self) -> bool: ...
    def alive(self) -> bool: ...
    def release(self) -> None: ...


def lock_for(env: Mapping[str, str], kind: str) -> Lock:
    if env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
        return PostgresLock(env, kind)
    database = env.get("SQLITE_DBNAME", ":memory:")
    if ":memory:" in database or "mode=memory" in database:
        return ProcessLock()
    return FileLock(database, kind)


class Leader:
    """``acquire`` waits until this process leads ``kind``; ``held`` says whether it still does (checked
    before each batch); ``fence`` refuses, inside the worker's own transaction, a write made after it lost."""

    def __init__(self, kind: str, lock: Lock, leases: Leases, poll_s: float = DEFAULT_POLL_S) -> None:
        self.kind, self.lock, self.leases, self.poll_s = kind, lock, leases, poll_s
        self.holder = f"{socket.gethostname()}:{os.getpid()}"
        self.token = 0

    @classmethod
    def of(cls, store: Any, kind: str) -> Leader:
        """The leader of ``kind`` on the hub's store (a HubApplication)."""
        env = {**os.environ, **store.env}
        return cls(kind, lock_for(env, kind), Leases(Sql(store.recorder)), float(env.get(POLL_ENV) or DEFAULT_POLL_S))

    def acquire(self, stop: threading.Event) -> bool:
        """Blocks until this process leads (True) or ``stop`` is set (False)."""
        waiting = False
        while not stop.is_set():
            beat()  # a spare standing by is alive too
            try:
                if self.lock.try_acquire():
                    self.token = self.leases.take(self.kind, self.holder)
                    log.info("%s: leading (token %s)", self.kind, self.token)
                    LEADING.labels(self.kind).set(1)
                    return True
            except Exception as error:  # the store away: keep trying, as a follower does anyway
                log.warning("%s: could not try the leader lock (%s)", self.kind, type(error).__name__)
                self.lock.release()
            if not waiting:
                log.info("%s: another process leads; standing by", self.kind)
                waiting = True
            stop.wait(self.poll_s)
        return False

    def held(self) -> bool:
        try:
            return self.lock.alive() and self.leases.current(self.kind) == self.token
        except Exception:
            return False  # the store did not answer: not knowing is not leading

    def fence(self, cursor: Cursor) -> None:
        self.leases.check(cursor, self.kind, self.token)

    def release(self) -> None:
        self.lock.release()
        self.token = 0
        LEADING.labels(self.kind).set(0)
