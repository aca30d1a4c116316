"""After an archival, the relay tells every body that had the child's records that it no longer has them."""

from __future__ import annotations

from typing import Any

from hub.kafka.settings import KafkaSettings
from tests.builders import INSPECTOR, MANAGER
from tests.kafka_support import kafka_broker, kafka_settings  # noqa: F401 - fixtures
from tests.scenario import drive_to
from tests.test_kafka_relay import applied_once, read, relay_round
from tests.test_retention import BORN, DAY_OF_18


def test_the_relay_sends_each_body_an_empty_view_of_an_archived_child(app: Any, kafka_settings: KafkaSettings) -> None:
    case = drive_to(app, "closed", **BORN)
    bodies = [MANAGER.agency, INSPECTOR.agency]
    assert relay_round(app, kafka_settings)
    before = applied_once(read(kafka_settings, bodies, 2))
    assert all(before[(body, str(case.child_id))]["records"] for body in bodies), "both bodies had the child's records"

    app.retention.apply_retention(MANAGER, DAY_OF_18)
    assert relay_round(app, kafka_settings)

    after = applied_once(read(kafka_settings, bodies, 4))
    assert [after[(body, str(case.child_id))]["records"] for body in bodies] == [[], []]
