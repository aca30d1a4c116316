"""Only the receiving body is offered a referral's decisions on its page: the body that sent it, reading its own
referral, is shown no button the hub would refuse ("only the receiving agency decides on a referral")."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import Hub
from tests.builders import MANAGER, SCHOOL_PSYCHOLOGIST
from tests.scenario import submit
from tests.web_support import signed_in

ACKNOWLEDGE, ACCEPT, DECLINE = "Acknowledge receipt", "Accept and open a case", "Reasons for declining"


@pytest.fixture
def client(app: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(app)) as test_client:
        yield test_client


def test_the_sender_reads_its_referral_without_the_recipient_s_buttons(client: TestClient, app: Hub) -> None:
    referral = submit(app, actor=SCHOOL_PSYCHOLOGIST, child__school_agency="school-almaty-12")
    assert referral.recipient_agency == MANAGER.agency
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    shown = client.get(f"/ui/referrals/{referral.id}?lang=en")
    assert shown.status_code == 200 and referral.state in shown.text
    assert ACKNOWLEDGE not in shown.text and DECLINE not in shown.text
    signed_in(client, app, MANAGER)
    received = client.get(f"/ui/referrals/{referral.id}?lang=en").text
    assert ACKNOWLEDGE in received and DECLINE in received and ACCEPT not in received
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    acknowledged = client.get(f"/ui/referrals/{referral.id}?lang=en").text
    assert ACCEPT in acknowledged and ACKNOWLEDGE not in acknowledged
    signed_in(client, app, SCHOOL_PSYCHOLOGIST)
    assert ACCEPT not in client.get(f"/ui/referrals/{referral.id}?lang=en").text
