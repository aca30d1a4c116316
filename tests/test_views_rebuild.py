"""``hub views rebuild`` (issue 17, docs/decisions/0046): the views are built again beside the live ones while
the hub serves from the live ones, switched in at once, and the projector goes on from them; the result
equals a build from nothing."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from hub.api.app import create_app
from hub.bootstrap import Hub, bootstrap
from hub.cli.main import main
from hub.projections import rebuild
from hub.projections.sql import Sql
from tests.api_support import bearer
from tests.builders import INSPECTOR, MANAGER, register_agencies
from tests.conftest import TEST_MASTER_KEY
from tests.kafka_support import wait_for
from tests.scenario import rebuilt_from_nothing, submit

UNSEALED = ("hub_view_members", "hub_child_index")
READ_EVERY_S = 0.01  # a read every 10 ms and a referral every 50 ms: the views move on under the rebuild
WRITE_EVERY_S = 0.05


@pytest.fixture
def serving(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    """A serving hub whose projector keeps the live views current, as ``hub serve`` does."""
    monkeypatch.setenv("HUB_DATABASE_URL", store_url)
    monkeypatch.setenv("HUB_MASTER_KEY", TEST_MASTER_KEY)
    # The test's reader asks as fast as the hub answers for as long as a rebuild takes: more than a person's
    # rate limit allows (600 a minute), which is not what is tested here.
    hub = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY,
                     "HUB_RATE_LIMIT_PER_TOKEN": "1000000/minute"}, serving=True)
    register_agencies(hub)
    hub.start(project=True, interval=0.02)
    yield hub
    hub.close()


def _projected(hub: Hub) -> bool:
    return hub.views.store.position() == hub.store.recorder.max_notification_id()


def _views(hub: Hub) -> dict[str, Any]:
    """Every view row opened (its batch's position left out: it says how the log was cut), and the unsealed tables."""
    store = hub.views.store
    rows = {
        json.dumps([r.agency, r.record_type, r.record_id, r.child_id, r.body, r.rules, r.roles, r.policy_version],
                   sort_keys=True, default=str)
        for child in store.children() for r in store.rows_of_child(child)
    }
    sql = Sql(hub.store.recorder)
    return {"hub_views": rows, **{t: set(sql.query(f"SELECT * FROM {{{t}}}", [t])) for t in UNSEALED}}


def test_a_rebuild_is_switched_in_while_reads_are_answered_and_the_projector_goes_on(
    serving: Hub, store_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = serving
    first = [submit(hub, INSPECTOR, child__given_name=f"Before{i}") for i in range(6)]
    wait_for(lambda: _projected(hub), 60, "the live views to reach the log")
    stop = threading.Event()
    answers: list[int] = []
    written: list[Any] = []

    # Paced, as people are: a writer as fast as the hub could keep the log ahead of the rebuild for as long as
    # the machine's load let it (13 s on a quiet machine, 106 s beside two other test workers).
    def read() -> None:  # a body reading over HTTP the whole time
        client, headers = TestClient(create_app(hub)), bearer(hub, MANAGER)
        while not stop.wait(READ_EVERY_S):
            answers.append(client.get(f"/v1/referrals/{first[0].id}", headers=headers).status_code)

    def write() -> None:  # and referrals arriving, so that the live views move on under the rebuild
        while not stop.wait(WRITE_EVERY_S):
            written.append(submit(hub, INSPECTOR, child__given_name=f"During{len(written)}"))

    load = [threading.Thread(target=read), threading.Thread(target=write)]
    for thread in load:
        thread.start()
    wait_for(lambda: len(answers) > 2 and written, 60, "reads and writes under way")
    head = hub.store.recorder.max_notification_id()
    switch = rebuild._switch

    def switched_once_a_read_is_answered(live: Any, new: Any) -> bool:
        # Reads are answered while the rebuild runs, not held until it ends: one is awaited with the new views
        # built and not yet switched in. (Counting the answers around the rebuild instead failed once its
        # catch-up took 87 ms, less than a loaded machine let the reader take to answer again.)
        asked = len(answers)
        wait_for(lambda: len(answers) > asked, 60, "a read answered while the rebuild runs")
        return switch(live, new)

    try:
        with monkeypatch.context() as patched:
            patched.setattr(rebuild, "_switch", switched_once_a_read_is_answered)
            assert main(["views", "rebuild", "--json"]) == 0
        after = len(answers)
        wait_for(lambda: len(answers) > after + 5, 60, "reads after the switch")
    finally:
        stop.set()
        for thread in load:
            thread.join()
    rebuilt = json.loads(capsys.readouterr().out)
    assert rebuilt["position"] >= head  # it caught up with the live views before it was switched in
    progress = {c: REGISTRY.get_sample_value("hub_progress_events", {"task": "views rebuild", "count": c})
                for c in ("done", "total")}
    assert progress == {"done": rebuilt["position"], "total": rebuilt["position"]}  # a scraper saw it end there
    assert set(answers) == {200}  # every read answered, from the old views and then the new

    late = submit(hub, INSPECTOR, child__given_name="After")  # the projector goes on from the new views
    wait_for(lambda: hub.views.store.row(MANAGER.agency, "referral", late.id), 60, "the projector to show it")
    wait_for(lambda: _projected(hub), 60, "the live views to reach the log")
    shown = hub.reads.show(MANAGER, "referral", late.id)
    assert shown["content"]["child"]["given_name"] == "After"
    assert main(["views", "rebuild"]) == 0  # and a rebuild can follow a rebuild
    wait_for(lambda: _projected(hub), 60, "the live views to reach the log")
    built = _views(hub)
    hub.close()

    emptied = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    scratch = rebuilt_from_nothing(emptied, store_url)
    try:
        assert _views(scratch) == built
    finally:
        scratch.close()
        emptied.close()
