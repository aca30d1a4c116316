"""The checkpoints as JSON lines appended to a file (``HUB_CHECKPOINT_LOG``), for the operator to ship
elsewhere: a log collector, write-once storage, the auditors. Appended, never rewritten."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from hub.audit.checkpoint import Checkpoint


class FileSink:
    name = "file"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def ship(self, checkpoints: Sequence[Checkpoint]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = b"".join(c.line() + b"\n" for c in checkpoints)
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                lines = b"\n" + lines  # a line torn by a crash stays a line of its own
            while lines:
                lines = lines[os.write(fd, lines):]
            os.fsync(fd)  # durable before the position moves past them
        finally:
            os.close(fd)

    def close(self) -> None:
        """Nothing is held open between batches."""
