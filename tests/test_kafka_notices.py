"""The acknowledgement of a notice by the referral it is about (the GTA told of a referral to a CAM/CSC), as a
service command: what ``hub ingest`` calls for a ``notice_acknowledged`` message naming a ``referral_id``, as
the guardianship's system has sent since notices were labels on a referral."""

from __future__ import annotations

from typing import Any

import pytest

from hub.errors import NotFound
from tests.builders import CIM_OFFICER, GTA_OFFICER, INSPECTOR, MANAGER, referral_content
from tests.scenario import notices_about, store_position


def test_the_notified_gta_acknowledges_once_and_a_repeat_records_nothing(app: Any) -> None:
    referral = app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="n-1").referral
    [notice] = notices_about(app, referral)
    assert (notice.rule, notice.recipient_agency) == ("cam:N02", GTA_OFFICER.agency)

    [acknowledged] = app.notices.acknowledge_about(GTA_OFFICER, referral.id)
    assert (acknowledged.id, acknowledged.state, acknowledged.acknowledged_by) == (notice.id, "acknowledged", GTA_OFFICER.user)
    events = list(app.store.events.get(notice.id))
    assert type(events[-1]).__name__ == "Acknowledged" and events[-1].actor == GTA_OFFICER

    before = store_position(app)
    app.notices.acknowledge_about(GTA_OFFICER, referral.id)
    assert store_position(app) == before
    assert app.store.repository.get(referral.id).state == "submitted"  # the referral's own lifecycle is untouched


@pytest.mark.parametrize("body", [CIM_OFFICER, MANAGER, INSPECTOR])
def test_a_body_sent_no_notice_cannot_acknowledge_one_and_learns_nothing(app: Any, body: Any) -> None:
    referral = app.referrals.submit_referral(INSPECTOR, referral_content(), idempotency_key="n-2").referral
    before = store_position(app)
    with pytest.raises(NotFound, match="no notice about referral"):
        app.notices.acknowledge_about(body, referral.id)
    assert store_position(app) == before
