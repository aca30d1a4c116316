"""The deployment's state as gauges, read from the store and the broker when Prometheus scrapes: the same
answer from whichever API process is asked, and nothing kept in memory that a restart would lose."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from hub import clock
from hub.inbox.item import utc_iso
from hub.observability.lag import broker_lag, projection_lag

log = logging.getLogger(__name__)


class HubState(Collector):
    def __init__(self, hub: Any, kafka: Any | None) -> None:
        self.hub, self.kafka = hub, kafka

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self._store()
        if self.kafka is not None:
            yield from self._broker()

    def _store(self) -> Iterator[GaugeMetricFamily]:
        try:
            lag = projection_lag(self.hub)
            overdue = self.hub.views.inbox.overdue_notices(utc_iso(clock.now()))
        except Exception as error:  # /ready says so; a scrape still answers with what it can
            log.warning("metrics: the store did not answer (%s)", type(error).__name__)
            return
        yield GaugeMetricFamily("hub_projection_lag_events", "Events in the log not yet in the views", lag.events)
        yield GaugeMetricFamily(
            "hub_projection_lag_seconds", "Age of the oldest event not yet in the views (0 when none)", lag.seconds
        )
        yield GaugeMetricFamily(
            "hub_relay_lag_events", "Positions whose view changes the relay has not sent yet", lag.relay_events
        )
        yield GaugeMetricFamily("hub_overdue_notices", "Open notices past their deadline, all agencies", overdue)

    def _broker(self) -> Iterator[GaugeMetricFamily]:
        try:
            consumer_lag, dead_letters = broker_lag(self.kafka)
        except Exception as error:
            log.warning("metrics: the broker did not answer (%s)", type(error).__name__)
            return
        lag = GaugeMetricFamily(
            "hub_consumer_lag_messages", "Inbound messages not yet handled, per topic", labels=["topic"]
        )
        for topic, value in sorted(consumer_lag.items()):
            lag.add_metric([topic], value)
        yield lag
        dead = GaugeMetricFamily("hub_dead_letters", "Messages on each dead-letter topic", labels=["topic"])
        for topic, value in sorted(dead_letters.items()):
            dead.add_metric([topic], value)
        yield dead
