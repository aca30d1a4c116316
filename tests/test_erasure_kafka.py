"""After an erasure, the relay republishes each body's view of the child with its personal fields erased."""

from __future__ import annotations

import json
from typing import Any

from hub.aggregates.erasure import ERASED_VALUE
from hub.kafka.settings import KafkaSettings
from tests.builders import MANAGER
from tests.kafka_support import kafka_broker, kafka_settings  # noqa: F401 - fixtures
from tests.scenario import drive_to
from tests.test_erasure import CHILD, REASON, _found
from tests.test_kafka_relay import applied_once, read, relay_round


def test_the_relay_republishes_the_erased_views(app: Any, kafka_settings: KafkaSettings) -> None:
    case = drive_to(app, "closed", **CHILD)
    assert relay_round(app, kafka_settings)
    before = read(kafka_settings, [MANAGER.agency], 1)
    assert _found([r.value.decode() for r in before]), "the centre was sent the child's data before"

    app.erasure.erase(MANAGER, case.child_id, REASON)
    assert relay_round(app, kafka_settings)
    records = read(kafka_settings, [MANAGER.agency], len(before) + 1)
    latest = applied_once(records)[(MANAGER.agency, str(case.child_id))]
    assert latest["position"] > max(json.loads(r.value)["position"] for r in before)
    assert _found(latest) == []
    assert ERASED_VALUE in json.dumps(latest)
