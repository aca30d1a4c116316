"""A store written before geography was data (cities by name) opens, reads and routes with today's code: its
events are upcast as they are read, never rewritten (decision 0026)."""

from __future__ import annotations

from typing import Any

import pytest

from hub.aggregates.agency_directory import AgencyDirectory
from hub.aggregates.child import Child
from hub.aggregates.referral import Referral
from hub.bootstrap import bootstrap
from hub.crypto.mapper import ChildMapper
from hub.geography.units import geography
from tests.builders import MANAGER, register_agencies
from tests.conftest import TEST_MASTER_KEY
from tests.scenario import store_position, submit

CITY_OF = {code: name for name, code in geography().legacy.items()}


def _as_written_before(event: Any) -> Any:
    """The event in the shape the code before decision 0026 wrote it: a city name where a unit's code is now."""
    state = dict(vars(event))
    if isinstance(event, AgencyDirectory.AgencyRegistered):
        state["city"] = CITY_OF[state.pop("unit")]
    elif isinstance(event, Child.Registered):
        state["identity"] = {**state["identity"], "city": CITY_OF[state["identity"]["city"]]}
    elif isinstance(event, Referral.Submitted):
        content = state["content"]
        state["content"] = {**content, "child": {**content["child"], "city": CITY_OF[content["child"]["city"]]}}
    else:
        return event
    old = object.__new__(type(event))
    object.__setattr__(old, "__dict__", state)
    return old


VERSION_BEFORE = {AgencyDirectory.AgencyRegistered: 1, Child.Registered: 1, Referral.Submitted: 2}


@pytest.fixture
def written_before(store_url: str, frozen: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A store of agencies, a referral and a case written with the event shapes and versions of before."""
    writing = ChildMapper.to_stored_event

    def write_as_before(mapper: ChildMapper, event: Any) -> Any:
        cls = type(event)
        if cls not in VERSION_BEFORE:
            return writing(mapper, event)
        with monkeypatch.context() as versions:  # the version written; reading (upcasting) keeps today's
            versions.setattr(cls, "class_version", VERSION_BEFORE[cls])
            return writing(mapper, _as_written_before(event))

    with monkeypatch.context() as before:
        before.setattr(ChildMapper, "to_stored_event", write_as_before)
        hub = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
        try:
            register_agencies(hub)
            referral = submit(hub, child__city="almaty")
            hub.referrals.acknowledge_referral(MANAGER, referral.id)
            case = hub.referrals.accept_referral(MANAGER, referral.id)
            stored = list(hub.store.recorder.select_notifications(1, 10_000))
        finally:
            hub.close()
    return {"referral": referral, "case": case, "stored": stored}


def test_a_store_with_city_names_opens_reads_and_routes_with_units(written_before, store_url: str) -> None:
    stored = written_before["stored"]
    assert any(b'"city":"almaty"' in n.state or b'"city": "almaty"' in n.state for n in stored
               if n.topic.endswith("AgencyDirectory.AgencyRegistered"))  # the shape of before, really stored
    hub = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    try:
        assert hub.directory.find_agency("cam-almaty").unit == "750000000"
        old = hub.referrals.referral_for(MANAGER, written_before["referral"].id)
        assert old.content.child.city == "750000000" and old.recipient_agency == "cam-almaty"
        child = hub.aggregates.load(Child, old.child_id, "child")
        assert child.identity["city"] == "750000000"
        with hub.dossiers.dossier(old.child_id) as dossier:  # the privacy views: the GTA of the child's city
            assert dossier.city == "750000000"
        again = submit(hub, child_id=old.child_id, child__city="almaty")  # a name still accepted
        assert again.recipient_agency == "cam-almaty"
        assert submit(hub, child__city="astana", child__given_name="Timur").recipient_agency == "csc-astana"
        after = list(hub.store.recorder.select_notifications(1, len(stored)))
        assert [(n.topic, bytes(n.state)) for n in after] == [(n.topic, bytes(n.state)) for n in stored]  # not rewritten
        assert store_position(hub) > len(stored)
        assert hub.cases.case_for(MANAGER, written_before["case"].id).managing_agency == "cam-almaty"
    finally:
        hub.close()
