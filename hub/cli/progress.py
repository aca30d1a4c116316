"""A progress bar on the terminal, redrawn in place on stderr, for ``hub`` commands run by a person."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 30
AFTER_S = 1.0  # work done within a second draws no bar


class TerminalBar:
    def __init__(self, stream: TextIO = sys.stderr, clock: Callable[[], float] = time.monotonic,
                 after: float = AFTER_S) -> None:
        self.stream, self.clock, self.after = stream, clock, after
        self.started: dict[str, float] = {}
        self.drawn: set[str] = set()

    def __call__(self, task: str, done: int, total: int) -> None:
        started = self.started.setdefault(task, self.clock())
        finished = done >= total
        if task in self.drawn or self.clock() - started >= self.after:
            self.drawn.add(task)
            share = min(done / total, 1.0) if total else 1.0
            filled = int(share * WIDTH)
            self.stream.write(f"\r{task} [{'#' * filled}{'.' * (WIDTH - filled)}] {share:4.0%} {done:,}/{total:,}")
            if finished:
                self.stream.write("\n")
            self.stream.flush()
        if finished:
            self.started.pop(task, None)
            self.drawn.discard(task)
