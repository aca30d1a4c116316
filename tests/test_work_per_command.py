"""The work one submission asks of the store, counted by the store's own tracing (hub/statement_count.py): one
commit, and no more statements than the benchmark reports (docs/benchmarks.md). A regression fails here as a
count, never as a timing (issue #13)."""

from __future__ import annotations

import pytest

from hub.bootstrap import bootstrap
from hub.services.commit import Reply
from hub.statement_count import counted
from tests.builders import INSPECTOR, MANAGER, referral_content, register_agencies
from tests.conftest import TEST_MASTER_KEY

# A new child's referral with its answer, in one transaction: the five events (the referral's, the child's two,
# the GTA's notice (cam N02), the caller's read), the child's key, the referral's and the notice's subjects, the
# chain's head and five links. PostgreSQL inserts the events in one statement and takes the log's lock
# (SET lock_timeout, LOCK TABLE, NOTIFY) instead.
PER_SUBMISSION = {"sqlite": 16, "postgres": 16}


@pytest.fixture
def serving(store_url, frozen):
    """A hub as ``hub serve`` builds it; its follower thread is not started, so the count is this work alone."""
    hub = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY}, serving=True)
    register_agencies(hub)
    hub.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="warm", reply=Reply("submit"))
    yield hub
    hub.close()


def _store(store_url: str) -> str:
    return "sqlite" if store_url.startswith("sqlite") else "postgres"


def test_a_submission_is_one_transaction_and_reads_nothing_before_it(serving, store_url):
    with counted(serving.store.factory.datastore) as statements:
        reply = Reply("submit")
        serving.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="counted", reply=reply)
    assert reply.shown is not None and reply.position is not None
    assert statements.commits == 1, statements.texts
    assert statements.count <= PER_SUBMISSION[_store(store_url)], statements.texts


def test_an_answer_costs_the_same_after_a_hundred_referrals_for_the_child(serving, store_url):
    first = serving.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="first").referral
    counts = []
    for n in range(101):
        with counted(serving.store.factory.datastore) as statements:
            serving.referrals.submit_referral(
                INSPECTOR, referral_content(), idempotency_key=f"again-{n}", child_id=first.child_id, reply=Reply("submit")
            )
        counts.append(statements.count)
    assert counts[-1] == counts[1], counts  # the 100th costs the store what the first did


def test_a_repeated_key_is_found_by_the_stores_uniqueness_not_by_looking_first(serving, store_url):
    serving.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="twice")
    with counted(serving.store.factory.datastore) as statements:
        again = serving.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="twice")
    assert not again.created
    assert statements.commits == 0 and statements.count <= PER_SUBMISSION[_store(store_url)], statements.texts


def test_a_decision_on_a_referral_is_one_transaction(serving, store_url):
    referral = serving.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="decided").referral
    with counted(serving.store.factory.datastore) as statements:
        serving.referrals.acknowledge_referral(MANAGER, referral.id, reply=Reply("acknowledge"))
    assert statements.commits == 1, statements.texts
