"""The projector: the one process of a deployment that takes the views up to the log (docs/decisions/0031).

Any number may run (``hub project`` replicas, ``hub serve`` processes projecting on a thread); the elected
one works, the others stand by and take over within ``HUB_LEADER_POLL_S`` of its death. Each batch's
transaction checks the leader's fencing token, so a former leader's late batch is refused, not written.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from hub.kafka.running import Backoff
from hub.leadership.leader import Leader
from hub.leadership.leading import poll_as_leader
from hub.store import discard_dead_connections

KIND = "project"
log = logging.getLogger(__name__)


def project_as_leader(views: Any, leader: Leader, stop: threading.Event, interval: float, backoff: Backoff) -> None:
    """Catches the views up while ``leader`` leads, until ``stop``."""
    reached = {"position": 0}

    def step() -> int:
        before, reached["position"] = reached["position"], views.catch_up(leader.fence)
        return reached["position"] - before

    def recover() -> None:
        discard_dead_connections(views.app.recorder)

    poll_as_leader(leader, step, stop, interval, backoff, recover, on_lead=lambda: reached.update(position=0))


def run_projector(views: Any, stop: threading.Event, interval: float) -> None:
    """The projector thread of a serving process: elected like ``hub project``, and started again after a
    failure that is not the store's (which ``poll_as_leader`` rides out itself)."""
    while not stop.is_set():
        try:
            project_as_leader(views, Leader.of(views.app, KIND), stop, interval, Backoff(interval, 30.0))
        except Exception:
            log.warning("projecting the views failed; trying again", exc_info=True)
            stop.wait(max(interval, 1.0))
