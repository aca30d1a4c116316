"""Kafka messages are authenticated by the sending agency's Ed25519 signature, against a real broker
(tests/kafka_support.py): a bearer token no longer does; a message changed after signing, sent to another
topic, or signed by a key that is not the agency's, or revoked (in another process), is dead-lettered as
``unauthenticated``; an agency rotates its key without a message lost (docs/decisions/0027)."""

from __future__ import annotations

import json
from typing import Any

from hub.bootstrap import bootstrap
from hub.kafka.inbound import inbound
from hub.kafka.ingest import IngestWorker
from hub.kafka.settings import KafkaSettings
from tests.builders import ADMIN, GTA_OFFICER, INSPECTOR
from tests.conftest import TEST_MASTER_KEY
from tests.kafka_support import (  # noqa: F401 - fixtures
    AgencySigner,
    TopicReader,
    header,
    kafka_broker,
    kafka_settings,
    receipt,
    running,
    send,
    wait_for,
)
from tests.test_kafka_ingest import sample

WAIT = 30.0


def test_only_messages_signed_by_an_active_key_of_the_sending_agency_are_applied(
    app: Any, store_url: str, kafka_settings: KafkaSettings
) -> None:
    topic = kafka_settings.inbound_topic("police")
    old, new = AgencySigner(app, INSPECTOR.agency), AgencySigner(app, INSPECTOR.agency)  # rotating: both active
    stranger = AgencySigner(app, GTA_OFFICER.agency)  # a key of another agency
    protocol, other = sample("police", "placement_protocol"), sample("police", "placement_protocol", protocol_no="X-1")

    def sending(message_id: str, headers: dict[str, str], value: bytes = protocol) -> None:
        send(kafka_settings, topic, value, message_id, headers)

    sending("old-key", old.headers("police", INSPECTOR, protocol, "old-key"))
    sending("new-key", new.headers("police", INSPECTOR, other, "new-key"), other)
    token = app.tokens.issue_token(ADMIN, INSPECTOR)
    refused = {
        "bearer-token": {"agency": INSPECTOR.agency, "role": INSPECTOR.role, "user": INSPECTOR.user,
                         "message-id": "bearer-token", "authorization": f"Bearer {token}"},
        "changed-after-signing": old.headers("police", INSPECTOR, other, "changed-after-signing"),
        "signed-for-schools": old.headers("schools", INSPECTOR, protocol, "signed-for-schools"),
        "another-agencys-key": stranger.headers("police", INSPECTOR, protocol, "another-agencys-key"),
        "another-message-id": {**old.headers("police", INSPECTOR, protocol, "one-id"),
                               "message-id": "another-message-id"},
    }
    for message_id, headers in refused.items():
        sending(message_id, headers)
    worker = IngestWorker(app, kafka_settings, inbound("police"))
    with running(worker):
        wait_for(lambda: worker.applied + worker.dead_lettered == 2 + len(refused), WAIT, "the first messages")
        assert worker.applied == 2
        assert receipt(app, INSPECTOR, "police", "old-key") and receipt(app, INSPECTOR, "police", "new-key")

        # The old key retired by the operator, in another process: its next message is refused at once.
        operator = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
        try:
            operator.agency_keys.revoke_key(ADMIN, INSPECTOR.agency, old.key_id, "rotated")
        finally:
            operator.close()
        late = sample("police", "placement_protocol", protocol_no="X-2")
        sending("revoked-key", old.headers("police", INSPECTOR, late, "revoked-key"), late)
        sending("after-rotation", new.headers("police", INSPECTOR, late, "after-rotation"), late)
        wait_for(lambda: worker.applied + worker.dead_lettered == 4 + len(refused), WAIT, "the later messages")
        assert receipt(app, INSPECTOR, "police", "after-rotation") and not receipt(app, INSPECTOR, "police", "revoked-key")

    reader = TopicReader(kafka_settings, [kafka_settings.dead_letter_topic("police")])
    try:
        letters = reader.until(lambda rs: len(rs) >= len(refused) + 1, WAIT, "the dead letters")
    finally:
        reader.close()
    reasons = {header(r, "message-id"): json.loads(header(r, "dlq-reason")) for r in letters}
    assert {mid: (r["stage"], r["reason"], r["field"]) for mid, r in reasons.items()} == {
        mid: ("authenticate", "unauthenticated", "headers.signature") for mid in [*refused, "revoked-key"]
    }
    assert all(header(r, "authorization") is None for r in letters)  # a token sent along is never copied
