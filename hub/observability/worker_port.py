"""A worker's own metrics (``hub relay``, ``hub ingest``, ``hub project``...) on a port of its own, when
``HUB_METRICS_PORT`` is set: off by default, and bound to ``HUB_METRICS_ADDRESS`` (loopback unless set),
since it carries no token - the deployment decides who reaches it (docs/decisions/0032)."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from prometheus_client import start_http_server

PORT_ENV, ADDRESS_ENV = "HUB_METRICS_PORT", "HUB_METRICS_ADDRESS"
log = logging.getLogger(__name__)


def serve_metrics(env: Mapping[str, str]) -> None:
    port = env.get(PORT_ENV, "").strip()
    if not port:
        return
    address = env.get(ADDRESS_ENV) or "127.0.0.1"
    start_http_server(int(port), addr=address)
    log.info("metrics on %s:%s", address, port)
