"""The acknowledgement of a notice (the GTA told of a referral to a CAM/CSC), as a service command:
what ``hub ingest`` calls for a ``notice_acknowledged`` message on the guardianship topic."""

from __future__ import annotations

from typing import Any

import pytest

from hub.errors import NotFound
from tests.builders import CIM_OFFICER, GTA_OFFICER, INSPECTOR, MANAGER, referral_content
from tests.scenario import store_position


def test_the_notified_gta_acknowledges_once_and_a_repeat_records_nothing(app: Any) -> None:
    referral = app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="n-1").referral
    assert [n["agency"] for n in referral.notices] == [GTA_OFFICER.agency]

    acknowledged = app.referrals.acknowledge_notice(GTA_OFFICER, referral.id)
    assert list(acknowledged.notices_acknowledged) == [GTA_OFFICER.agency]
    events = list(app.store.events.get(referral.id))
    assert type(events[-1]).__name__ == "NoticeAcknowledged"
    assert (events[-1].actor, events[-1].agency) == (GTA_OFFICER, GTA_OFFICER.agency)

    before = store_position(app)
    app.referrals.acknowledge_notice(GTA_OFFICER, referral.id)
    assert store_position(app) == before
    assert app.store.repository.get(referral.id).state == "submitted"  # the referral's own lifecycle is untouched


@pytest.mark.parametrize("body", [CIM_OFFICER, MANAGER, INSPECTOR])
def test_a_body_sent_no_notice_cannot_acknowledge_one_and_learns_nothing(app: Any, body: Any) -> None:
    referral = app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="n-2").referral
    before = store_position(app)
    with pytest.raises(NotFound, match="no referral"):
        app.referrals.acknowledge_notice(body, referral.id)
    assert store_position(app) == before
