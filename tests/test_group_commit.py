"""Group commit (hub/group_commit.py): saves arriving together share one transaction, and each
caller still gets exactly what a save of its own would have given it.

To put chosen saves into one batch without timing luck, the writer is held inside the insert
of a first save while the others queue behind it; released, it takes them all at once.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, PersistenceError

from hub.aggregates.api_token import ApiToken, token_id_for
from hub.bootstrap import Hub, bootstrap
from hub.errors import IllegalTransition
from tests.builders import ADMIN, INSPECTOR, MANAGER, referral_content
from tests.conftest import TEST_MASTER_KEY
from tests.scenario import store_position, submit

QUEUEING_DEADLINE = 30.0  # seconds for the threads to reach the writer's queue; a bound, not a pause


class HeldRecorder:
    """The application's recorder, as the writer sees it, with a door that can be held shut."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.batches: list[int] = []  # events per insert_events call
        self.entered = threading.Event()
        self.door = threading.Event()
        self.door.set()

    def insert_events(self, stored_events: Sequence[Any], **kwargs: Any) -> Any:
        self.entered.set()
        self.door.wait()
        self.batches.append(len(stored_events))
        return self.recorder.insert_events(stored_events, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.recorder, name)


@pytest.fixture
def held(app: Hub) -> Iterator[HeldRecorder]:
    assert app.store.group_commit is not None, "group commit is on by default"
    real = app.store.group_commit.recorder
    app.store.group_commit.recorder = HeldRecorder(real)
    yield app.store.group_commit.recorder
    app.store.group_commit.recorder = real


def token(secret: str | None = None) -> ApiToken:
    return ApiToken(id=token_id_for(secret or uuid.uuid4().hex), actor=ADMIN, holder=INSPECTOR, expires_at=None)


def outcome(future: Future[Any]) -> Any:
    """The call's result, or the exception it raised, as a value."""
    try:
        return future.result(timeout=60)
    except Exception as error:  # noqa: BLE001 - the test compares outcomes
        return error


@contextmanager
def one_batch(app: Hub, held: HeldRecorder, calls: list[Callable[[], Any]]) -> Iterator[list[Future[Any]]]:
    """Runs ``calls`` on threads of their own so that each one's first save lands in one batch."""
    held.door.clear()
    with ThreadPoolExecutor(max_workers=len(calls) + 1) as pool:
        plug = pool.submit(app.store.save, token())
        assert held.entered.wait(QUEUEING_DEADLINE), "the writer never took the first save"
        futures = [pool.submit(call) for call in calls]
        deadline = time.monotonic() + QUEUEING_DEADLINE
        while app.store.group_commit.waiting < len(calls):
            assert time.monotonic() < deadline, f"only {app.store.group_commit.waiting} of {len(calls)} saves queued"
            time.sleep(0.005)
        held.door.set()
        plug.result(timeout=60)
        yield futures


def test_saves_made_at_once_share_one_transaction_and_each_caller_gets_its_own_positions(app, held):
    tokens = [token() for _ in range(20)]
    with one_batch(app, held, [lambda t=t: app.store.save(t) for t in tokens]) as futures:
        recordings = [f.result(timeout=60) for f in futures]
    assert held.batches[1] == len(tokens), f"the queued saves were written as {held.batches[1:]}"
    for saved, recorded in zip(tokens, recordings, strict=True):
        (recording,) = recorded
        assert recording.domain_event.originator_id == saved.id
        (stored,) = app.store.recorder.select_notifications(start=recording.notification.id, limit=1)
        assert stored.originator_id == saved.id, "a caller was handed another caller's position"
    assert app.integrity.verify_log().ok


def test_many_referrals_submitted_at_once_are_all_stored_each_as_its_own_caller_sent_it(app):
    names = [f"Child{n:02d}" for n in range(24)]
    barrier = threading.Barrier(len(names))

    def send(name: str) -> Any:
        barrier.wait()
        return app.referrals.submit_referral(INSPECTOR, referral_content(child__given_name=name), idempotency_key=name)

    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        submissions = list(pool.map(send, names))
    for name, submission in zip(names, submissions, strict=True):
        assert submission.created
        stored = app.referrals.referral_for(INSPECTOR, submission.referral.id)
        assert stored.content.child.given_name == name
    assert len({s.referral.id for s in submissions}) == len(names)
    assert app.integrity.verify_log().ok


def test_a_conflicting_save_fails_alone_and_the_rest_of_its_batch_commits(app, held):
    others = [token() for _ in range(6)]
    first, repeat = token("the same secret"), token("the same secret")
    batch = [first, *others[:3], repeat, *others[3:]]
    with one_batch(app, held, [lambda t=t: app.store.save(t) for t in batch]) as futures:
        results = [outcome(f) for f in futures]
    failed = [saved for saved, result in zip(batch, results, strict=True) if isinstance(result, Exception)]
    assert failed == [repeat] and isinstance(results[4], IntegrityError)
    for saved in [first, *others]:
        assert app.store.repository.get(saved.id).version == 1
    assert app.integrity.verify_log().ok


def test_two_managers_acknowledging_in_one_batch_one_wins_and_the_other_is_told_why(app, held):
    referral = submit(app)
    acknowledge = lambda: app.referrals.acknowledge_referral(MANAGER, referral.id, note="on it")  # noqa: E731
    with one_batch(app, held, [acknowledge, acknowledge]) as futures:
        results = [outcome(f) for f in futures]
    assert sum(isinstance(r, IllegalTransition) for r in results) == 1, results
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    assert app.referrals.referral_for(INSPECTOR, referral.id).state == "acknowledged"
    assert app.integrity.verify_log().ok


def test_a_repeated_submission_in_the_same_batch_returns_the_first_referral(app, held):
    send = lambda key: app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key=key)  # noqa: E731
    calls = [lambda: send("same key"), lambda: send("other key"), lambda: send("same key")]
    with one_batch(app, held, calls) as futures:
        first, other, repeat = [f.result(timeout=60) for f in futures]
    assert repeat.referral.id == first.referral.id != other.referral.id
    assert sorted([first.created, repeat.created]) == [False, True] and other.created
    assert app.integrity.verify_log().ok


def test_a_failing_database_reaches_every_caller_of_the_batch_and_stores_nothing_of_it(app, held, monkeypatch):
    append = app.store.chain.append

    def refused_by_the_database(cursor: Any, positions: Sequence[int], stored: Sequence[Any]) -> None:
        if len(stored) > 2:  # the batch, not the first save that holds the writer
            cursor.execute("SELECT * FROM hub_table_that_is_not_there")  # the database aborts the transaction
        append(cursor, positions, stored)

    monkeypatch.setattr(app.store.chain, "append", refused_by_the_database)
    before = store_position(app) + 1  # the first save, holding the writer, goes through
    keys = [f"key-{n}" for n in range(4)]
    send = lambda key: app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key=key)  # noqa: E731
    with one_batch(app, held, [lambda k=k: send(k) for k in keys]) as futures:
        results = [outcome(f) for f in futures]
    assert all(isinstance(r, PersistenceError) for r in results), results
    assert len({type(r) for r in results}) == 1, results
    assert store_position(app) == before, "part of a failed batch was stored"
    monkeypatch.setattr(app.store.chain, "append", append)
    again = [send(k) for k in keys]
    assert all(s.created for s in again)
    assert app.integrity.verify_log().ok


def test_with_group_commit_off_each_save_is_its_own_transaction(store_url, frozen):
    app = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY, "HUB_GROUP_COMMIT": "off"})
    try:
        assert app.store.group_commit is None
        app.store.save(token())
        assert store_position(app) > 0 and app.integrity.verify_log().ok
    finally:
        app.close()
