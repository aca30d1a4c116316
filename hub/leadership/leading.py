"""A worker's loop under the election: stand by until leading, work while leading, stand by again if fenced."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from hub.kafka.running import Backoff, poll_loop
from hub.leadership.leader import Leader
from hub.leadership.lease import Fenced

log = logging.getLogger(__name__)


def poll_as_leader(
    leader: Leader,
    step: Callable[[], int],
    stop: threading.Event,
    interval: float,
    backoff: Backoff,
    recover: Callable[[], None],
    on_lead: Callable[[], None] = lambda: None,
) -> None:
    """Runs ``step`` as ``poll_loop`` does, but only while ``leader`` leads; ``on_lead`` runs first in each new
    term (the relay's look at what a former leader may have sent), retried like a step when the store is away."""
    try:
        while leader.acquire(stop):
            term, fresh = threading.Event(), [True]

            def guarded() -> int:
                if stop.is_set() or not leader.held():
                    term.set()
                    return 0
                try:
                    if fresh:
                        on_lead()
                        fresh.clear()
                    return step()
                except Fenced as error:
                    log.warning("%s: fenced (%s); standing by", leader.kind, error)
                    term.set()
                    return 0

            poll_loop(guarded, term, interval, backoff, leader.kind, recover)
            leader.release()
    finally:
        leader.release()
