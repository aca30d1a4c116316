"""The text Prometheus scrapes: this process's metrics (every worker's, under ``hub serve --workers``,
through prometheus-client's multiprocess mode) and the deployment's state (hub/observability/state.py)."""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from hub.observability.state import HubState

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


def metrics_text(hub: Any, kafka: Any | None) -> bytes:
    if os.environ.get(MULTIPROCESS_ENV):
        own = CollectorRegistry()
        MultiProcessCollector(own)
    else:
        own = REGISTRY
    state = CollectorRegistry()
    state.register(HubState(hub, kafka))
    return generate_latest(own) + generate_latest(state)
