"""Progress of long work (verifying the log, bringing the views up to it): reported by the work, shown by
whoever runs it - a bar on a terminal (hub/cli/progress.py), else a log line every ``HUB_PROGRESS_EVERY_S``
seconds, so that an operator or a log collector sees a rebuild of a million events move.

Short work shows nothing: the first line comes only once the work has run for that long.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable

from prometheus_client import Gauge

EVERY_ENV, DEFAULT_EVERY_S = "HUB_PROGRESS_EVERY_S", 10.0

Sink = Callable[[str, int, int], None]  # (task, done, total)
log = logging.getLogger("hub.progress")
# The same progress for a scraper: events done and in all, per task (`hub views rebuild` on HUB_METRICS_PORT).
PROGRESS = Gauge("hub_progress_events", "How far long work has got, in events, per task", ["task", "count"],
                 multiprocess_mode="livemax")


class LogLines:
    """A log line per task at most every ``every`` seconds, and one when a task that was shown ends."""

    def __init__(self, every: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.every, self.clock = every, clock
        self.started: dict[str, float] = {}
        self.shown: dict[str, float] = {}

    def __call__(self, task: str, done: int, total: int) -> None:
        now = self.clock()
        started = self.started.setdefault(task, now)
        last = self.shown.get(task, started)
        finished = done >= total
        if now - last >= self.every or (finished and task in self.shown):
            self.shown[task] = now
            percent = 100.0 * done / total if total else 100.0
            log.info("%s: %d of %d (%.0f%%)", task, done, total, percent, extra={"kind": task})
        if finished:
            self.started.pop(task, None)
            self.shown.pop(task, None)


_sink: Sink = LogLines(float(os.environ.get(EVERY_ENV) or DEFAULT_EVERY_S))


def report(task: str, done: int, total: int) -> None:
    PROGRESS.labels(task, "done").set(done)
    PROGRESS.labels(task, "total").set(total)
    _sink(task, done, total)


def show_with(sink: Sink) -> None:
    """Where progress goes in this process from now on (a command-line run on a terminal: a bar)."""
    global _sink
    _sink = sink
