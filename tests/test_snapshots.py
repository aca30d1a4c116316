"""A child named by many referrals is loaded from a snapshot, sealed with its key (issue #13: the answer's cost must
not grow with the child's history). What a user would notice if it went wrong: a child whose age status, categories
or aliases differ after a restart, or whose words survive its erasure."""

from __future__ import annotations

from uuid import UUID

import pytest

from hub.aggregates.child import AgeStatus, Child
from hub.application import SNAPSHOT_EVERY
from hub.bootstrap import Hub, bootstrap
from hub.crypto.erased_repository import mutate_each
from hub.crypto.keys import ChildErased
from hub.services.referrals import ReferralRequest
from tests.builders import INSPECTOR, MANAGER, referral_content
from tests.conftest import TEST_MASTER_KEY

ALIAS = "Azizbek Qarimov"
# Every attribute a snapshot of a child carries. One added to ``Child`` is absent from the snapshots already
# stored: raise ``Child.class_version`` and give ``Child`` an ``upcast_v1_v2`` that sets it, then update this.
ATTRIBUTES = {
    "_id", "_version", "_pending_events", "_created_on", "_modified_on", "identity", "aliases", "date_of_birth",
    "stated_age", "stated_on", "state", "categories", "referral_ids", "case_ids", "same_as", "family_link_ids",
    "expected_on", "expected_by", "involvement_ids",
}


def _restarted(store_url: str) -> Hub:
    """Another process: nothing of the child in its cache."""
    return bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})


def _long_history(app: Hub) -> UUID:
    content = referral_content(child__categories=["unaccompanied", "asylum_seeker"])
    child_id = app.referrals.submit_referral(INSPECTOR, content, idempotency_key="first").referral.child_id
    child = app.store.repository.get(child_id)
    child.add_alias(MANAGER, ALIAS)
    child.dispute_age(MANAGER, "looks older than the fourteen he says")
    app.store.save(child)
    app.referrals.submit_referrals(INSPECTOR, [
        ReferralRequest(referral_content(), f"again-{n}", child_id=child_id) for n in range(SNAPSHOT_EVERY + 5)
    ])
    return child_id


def test_a_child_loaded_from_its_snapshot_is_the_child_its_events_make(app, store_url):
    child_id = _long_history(app)
    assert [s.originator_version for s in app.store.snapshots.get(child_id)], "no snapshot was taken"
    events = list(app.store.events.get(child_id))
    assert events[-1].originator_version > SNAPSHOT_EVERY
    from_events = mutate_each(None, events)

    later = _restarted(store_url)
    try:
        loaded = later.store.repository.get(child_id)
    finally:
        later.close()
    assert vars(loaded) == vars(from_events)
    assert loaded.age_status is AgeStatus.DISPUTED
    assert {type(c).__name__ for c in loaded.categories} == {"CabmCategory"}
    assert ALIAS in loaded.aliases and len(loaded.referral_ids) == SNAPSHOT_EVERY + 6


def test_a_snapshot_carries_every_attribute_of_a_child(app):
    child_id = app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="one").referral.child_id
    child = app.store.repository.get(child_id)
    assert set(vars(child)) == ATTRIBUTES, "a new attribute of Child needs a class_version and an upcast of snapshots"
    assert getattr(Child, "class_version", 1) == 2


def test_a_snapshot_taken_before_a_child_had_involvements_loads_with_none(app):
    child_id = app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="one").referral.child_id
    snapshot = Child.Snapshot.take(app.store.repository.get(child_id))
    del snapshot.state["involvement_ids"]  # as a snapshot of 0053's release holds it (decision 0050)
    snapshot.state.pop("class_version")
    assert snapshot.mutate(None).involvement_ids == []


def test_an_erased_childs_snapshot_goes_with_its_key(app, store_url):
    referral = app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="once").referral
    app.referrals.decline_referral(MANAGER, referral.id, ["not a child of this centre's city"])
    child = app.store.repository.get(referral.child_id)
    for n in range(SNAPSHOT_EVERY):  # each name the child was known by is an event of his
        child.add_alias(MANAGER, f"{ALIAS} {n}")
    app.store.save(child)
    stored = app.store.snapshots.recorder.select_events(child.id)
    assert stored and all(ALIAS.encode() not in s.state for s in stored), "a snapshot in clear"
    app.erasure.erase(MANAGER, child.id, "the child asked, through the centre, that his file be erased")

    later = _restarted(store_url)
    try:
        with pytest.raises(ChildErased):
            later.store.repository.get(child.id)
    finally:
        later.close()
