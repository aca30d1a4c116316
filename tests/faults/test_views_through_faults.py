"""The views after the hub restarted, or after the database failed while they were being written, must be
what a rebuild from the log makes of them: otherwise a body loses sight of a record the policy shows it.
"""

from __future__ import annotations

import pytest

from hub.bootstrap import Hub, bootstrap
from hub.store import UNAVAILABLE, discard_dead_connections
from tests.builders import MANAGER, register_agencies
from tests.conftest import TEST_MASTER_KEY
from tests.faults.projection import compared_with_a_rebuild
from tests.faults.store import Store
from tests.scenario import submit

pytestmark = pytest.mark.faults


def test_a_referral_stays_in_its_recipients_view_when_a_restarted_hub_hears_of_the_child_again(
    app: Hub, store_url: str
) -> None:
    """A fold meeting a child for the first time starts from the stored membership, not from the event in hand."""
    first = submit(app)
    assert app.reads.show(MANAGER, "referral", first.id)["id"] == str(first.id)
    restarted = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    try:
        submit(restarted, child_id=first.child_id)  # the inspector refers the child again
        assert restarted.reads.show(MANAGER, "referral", first.id)["id"] == str(first.id)
    finally:
        restarted.close()


def test_views_written_again_after_the_database_cut_a_write_equal_a_rebuild(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch whose write failed is folded again from the stored state, so its membership rows are written."""
    env = {"HUB_DATABASE_URL": postgres_url, "HUB_MASTER_KEY": TEST_MASTER_KEY}
    store = Store(postgres_url, bootstrap(env))
    monkeypatch.setenv("PGAPPNAME", f"{store.schema}:views")  # the connections cut_connections() ends
    hub = bootstrap(env)
    try:
        register_agencies(hub)
        submit(hub)
        write = hub.views.store.write

        def cut_then_write(*args: object, **kwargs: object) -> bool:
            monkeypatch.setattr(hub.views.store, "write", write)
            hub.store.recorder.datastore.pool.wait()  # every pooled connection open: the cut ends them all
            assert store.cut_connections()
            return write(*args, **kwargs)

        monkeypatch.setattr(hub.views.store, "write", cut_then_write)
        with pytest.raises(UNAVAILABLE):
            hub.views.catch_up()
        discard_dead_connections(hub.store.recorder)  # as the hub's loops do before they try again
        hub.views.catch_up()

        def rebuild() -> None:
            fresh = bootstrap(env)
            fresh.views.catch_up()
            fresh.close()

        found, _ = compared_with_a_rebuild(hub, store.schema, rebuild)
        assert not found, found
    finally:
        hub.close()
        store.hub.close()
