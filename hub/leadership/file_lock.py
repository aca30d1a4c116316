"""SQLite: an exclusive ``flock`` on a file beside the database, which the kernel frees when the process dies."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from hub.store import PRIVATE_FILE


class FileLock:
    def __init__(self, database: str, kind: str) -> None:
        self.path = Path(f"{database}.{kind}.leader")
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def alive(self) -> bool:
        return self.fd is not None  # a lock on an open descriptor is held until it is closed

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class ProcessLock:
    """An in-memory database lives in one process: its one worker of each kind always leads."""

    def try_acquire(self) -> bool:
        return True

    def alive(self) -> bool:
        return True

    def release(self) -> None:
        pass
