"""Long-running loops of the worker processes: stop cleanly on SIGTERM or SIGINT, back off on failures."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable

from hub.kafka.transient import is_transient
from hub.observability.heartbeat import beat

log = logging.getLogger(__name__)
BEAT_EVERY_S = 15.0


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM (docker stop, a rolling upgrade) and SIGINT end the loop after the step in hand."""

    def handle(signum: int, frame: object) -> None:
        log.info("signal %s: stopping after the current step", signum)
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, handle)


class Backoff:
    """Waits that double after each failure, up to a ceiling, and start again after a success."""

    def __init__(self, first: float, ceiling: float) -> None:
        self.first, self.ceiling = first, ceiling
        self.next = first

    def wait(self, stop: threading.Event) -> None:
        stop.wait(self.next)
        self.next = min(self.next * 2, self.ceiling)

    def reset(self) -> None:
        self.next = self.first


def poll_loop(
    step: Callable[[], int],
    stop: threading.Event,
    interval: float,
    backoff: Backoff,
    name: str,
    recover: Callable[[], None],
) -> None:
    """Runs ``step`` until stopped; it returns how much it did, and the loop rests when that was nothing.

    A transient failure (the database or the broker away) is retried after ``recover`` (which
    replaces the store's dead connections) and a growing pause; anything else ends the loop, so
    the process exits and its supervisor restarts it.
    """
    while not stop.is_set():
        beat()
        try:
            done = step()
        except Exception as error:
            if not is_transient(error):
                raise
            log.warning("%s: transient failure (%s), retrying in %.1fs", name, type(error).__name__, backoff.next)
            recover()
            backoff.wait(stop)
            continue
        backoff.reset()
        if not done:
            rest(stop, interval)


def rest(stop: threading.Event, seconds: float) -> None:
    """Waits ``seconds`` or until ``stop``, beating the heartbeat meanwhile: a daily worker is alive all day."""
    end = time.monotonic() + seconds
    while not stop.is_set() and (left := end - time.monotonic()) > 0:
        stop.wait(min(left, BEAT_EVERY_S))
        beat()
