"""The log follower brings what every process records into this process's caches; what this process saved
itself reaches them as it was saved, without being read back and decoded from the store (issue #13)."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.registry import ADAPTERS
from hub.aggregates.child import Child
from hub.bootstrap import bootstrap
from hub.projections.follower import Follower
from hub.services.commit import Reply
from tests.builders import INSPECTOR, referral_content
from tests.conftest import TEST_MASTER_KEY


class CountingMapper:
    """The store's mapper, counting the events it decodes."""

    def __init__(self, mapper: Any) -> None:
        self.mapper, self.decoded = mapper, 0

    def to_domain_event(self, stored: Any) -> Any:
        self.decoded += 1
        return self.mapper.to_domain_event(stored)


@pytest.fixture
def counting(app):
    app.follower.mapper = counter = CountingMapper(app.follower.mapper)
    return counter


def _referral_ids(app, child_id) -> set:
    with app.dossiers.dossier(child_id) as dossier:
        assert dossier.child.version == app.aggregates.find(child_id).version
        assert {referral.id for referral in dossier.referrals} == set(dossier.child.referral_ids)
        return set(dossier.child.referral_ids)


def test_what_a_process_saved_reaches_its_dossiers_without_decoding_it_again(app, counting):
    first = app.referrals.submit_referral(INSPECTOR, referral_content(), "first", reply=Reply("submit")).referral
    again = app.referrals.submit_referral(
        INSPECTOR, referral_content(), "again", child_id=first.child_id, reply=Reply("submit")
    ).referral
    assert _referral_ids(app, first.child_id) == {first.id, again.id}
    assert counting.decoded == 0


def test_what_another_process_saved_is_decoded_from_the_store(app, counting, store_url):
    first = app.referrals.submit_referral(INSPECTOR, referral_content(), "first", reply=Reply("submit")).referral
    app.follower.follow()
    other = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    try:
        again = other.referrals.submit_referral(INSPECTOR, referral_content(), "again", child_id=first.child_id).referral
    finally:
        other.close()
    assert _referral_ids(app, first.child_id) == {first.id, again.id}
    assert counting.decoded > 0




class Everything:
    """A listener that wants every event."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    def notice(self, stored: Any, followed: Any) -> None:
        self.events.append(followed.event())

    def keeps(self, aggregate: Any) -> bool:
        return True


def test_a_process_that_saves_and_does_not_follow_keeps_only_its_latest_saves_the_rest_read_from_the_store(app):
    mapper = CountingMapper(app.store.mapper)
    follower = Follower(app.store.recorder, mapper, saved_kept=2)
    follower.listen(listener := Everything())
    app.store.on_saved.append(follower.saved)
    app.referrals.submit_referral(INSPECTOR, referral_content(), "first")  # several events, one save
    follower.follow()
    assert len(listener.events) > 2
    assert mapper.decoded == len(listener.events) - 2


def test_a_kafka_poll_s_new_children_are_not_held_and_are_read_from_the_store_when_asked(app):
    message = ADAPTERS["police"].samples()["placement_protocol"]
    with app.aggregates.unit_of_work():  # as a poll applies its messages
        received = app.messages.receive(INSPECTOR, "police", message, "poll-1")
    applied = received.applied[0]
    child = app.aggregates.load(Child, applied.child_id, "child")
    assert not app.dossiers.keeps(child)  # neither held nor copied for the follower
    with app.dossiers.dossier(applied.child_id) as dossier:
        assert [r.id for r in dossier.referrals] == [applied.record_id]
    assert app.dossiers.keeps(child)  # asked for, it is held from then on



class ReadingRecorder:
    """The store's recorder, noting every position the follower reads from it. ``hidden``: positions it
    reads as no committed transaction's (a gap); ``during``: run once inside the next read, before the
    select, as a save committing meanwhile would."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.read: list[int] = []
        self.hidden: set[int] = set()
        self.during: Any = None

    def max_notification_id(self) -> Any:
        return self.recorder.max_notification_id()

    def select_notifications(self, start: int, limit: int, stop: int | None = None) -> Any:
        during, self.during = self.during, None
        if during is not None:
            during()
        found = [n for n in self.recorder.select_notifications(start=start, limit=limit, stop=stop)
                 if n.id not in self.hidden]
        self.read += [n.id for n in found]
        return found


class Positions:
    """A listener noting each event's position and the event it was told, keeping no aggregate."""

    def __init__(self) -> None:
        self.told: list[int] = []
        self.events: dict[int, Any] = {}

    def notice(self, stored: Any, followed: Any) -> None:
        self.told.append(stored.id)
        self.events[stored.id] = followed.event()

    def keeps(self, aggregate: Any) -> bool:
        return False


def _following(app) -> tuple[Follower, ReadingRecorder, Positions]:
    recorder = ReadingRecorder(app.store.recorder)
    follower = Follower(recorder, app.store.mapper)
    follower.listen(listener := Positions())
    app.store.on_saved.append(follower.saved)
    return follower, recorder, listener


def _logged_after(app, position: int) -> list[int]:
    return [n.id for n in app.store.recorder.select_notifications(start=position + 1, limit=10_000)]


def _submit(hub, name: str) -> list[int]:
    """A referral submitted by ``hub``: the positions of its events."""
    before = hub.store.recorder.max_notification_id()
    hub.referrals.submit_referral(INSPECTOR, referral_content(), name)
    return _logged_after(hub, before)


def _told_as_stored(app, listener: Positions, positions: list[int]) -> None:
    """The events told at these positions are those the store holds there."""
    stored = app.store.recorder.select_notifications(start=positions[0], limit=len(positions))
    assert [listener.events[n.id] for n in stored] == [app.store.mapper.to_domain_event(n) for n in stored]


def test_what_a_process_saved_is_not_read_back_and_is_told_as_stored(app):
    follower, recorder, listener = _following(app)
    saved = _submit(app, "first") + _submit(app, "second")
    follower.follow()
    assert listener.told == saved
    assert recorder.read == []
    _told_as_stored(app, listener, saved)


def test_another_process_s_events_between_this_one_s_saves_are_read_and_told_in_the_log_s_order(app, store_url):
    follower, recorder, listener = _following(app)
    other = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    try:
        logged = _submit(app, "before") + (others := _submit(other, "other")) + _submit(app, "after")
    finally:
        other.close()
    follower.follow()
    assert listener.told == logged
    assert recorder.read == others
    _told_as_stored(app, listener, others)


def test_another_process_s_save_committed_while_the_follower_reads_up_to_this_one_s_is_told_after_it(app, store_url):
    follower, recorder, listener = _following(app)
    other = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    try:
        logged = _submit(other, "first") + _submit(app, "own")
        recorder.during = lambda: logged.extend(_submit(other, "meanwhile"))
        follower.follow()
    finally:
        other.close()
    assert listener.told == logged
    follower.follow()
    assert listener.told == logged


def test_a_save_of_this_process_committed_while_the_follower_reads_is_told_once(app):
    follower, recorder, listener = _following(app)
    saved: list[int] = []
    recorder.during = lambda: saved.extend(_submit(app, "meanwhile"))
    follower.follow()  # found nothing handed over, then read what the save committed meanwhile
    follower.follow()
    assert listener.told == saved
    assert recorder.read == saved


def test_positions_no_transaction_committed_before_a_save_handed_over_are_passed_over(app):
    follower, recorder, listener = _following(app)
    rolled_back = _submit(app, "as if rolled back")
    for position in rolled_back:
        del follower._own[position]
    recorder.hidden.update(rolled_back)
    saved = _submit(app, "saved")
    assert follower.follow() == saved[-1]
    assert listener.told == saved
    assert recorder.read == []
