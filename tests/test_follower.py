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
