"""One worker of each kind at a time (docs/decisions/0031): the store's lock elects one, the others stand by
and take over when it goes, and a former leader that did not notice it lost is refused its next write."""

from __future__ import annotations

import threading

import pytest

from hub.bootstrap import Hub
from hub.leadership.leader import Leader
from hub.leadership.lease import Fenced
from tests.scenario import submit


def leader(app: Hub, kind: str = "project") -> Leader:
    made = Leader.of(app.store, kind)
    made.poll_s = 0.01
    return made


def soon(seconds: float) -> threading.Event:
    """A stop that comes by itself after ``seconds``: how long a follower is let try."""
    stop = threading.Event()
    threading.Timer(seconds, stop.set).start()
    return stop


def test_one_leads_the_other_stands_by_then_takes_over_when_it_goes(app: Hub) -> None:
    first, second = leader(app), leader(app)
    try:
        assert first.acquire(threading.Event())
        assert not second.acquire(soon(0.3))  # stood by the whole time
        assert first.held()
        taken = first.token
        first.release()  # as a killed process's session or file descriptor ends
        assert second.acquire(soon(5.0))
        assert second.held() and second.token == taken + 1
    finally:
        first.release()
        second.release()


def test_kinds_are_elected_apart(app: Hub) -> None:
    projector, relay = leader(app, "project"), leader(app, "relay")
    try:
        assert projector.acquire(threading.Event()) and relay.acquire(soon(1.0))
    finally:
        projector.release()
        relay.release()


def test_a_former_leader_that_did_not_notice_cannot_write_the_views(app: Hub) -> None:
    former, current = leader(app), leader(app)
    try:
        assert former.acquire(threading.Event())
        app.views.catch_up(former.fence)
        former.lock.release()  # lost without knowing it: paused, or its connection cut
        assert current.acquire(soon(5.0))
        assert not former.held()
        submit(app)
        before = app.views.store.position()
        with pytest.raises(Fenced):
            app.views.catch_up(former.fence)
        assert app.views.store.position() == before  # nothing of its batch was written
        assert app.views.catch_up(current.fence) == app.store.recorder.max_notification_id()
    finally:
        former.release()
        current.release()
