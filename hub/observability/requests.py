"""Every request: a request id (the caller's ``X-Request-Id`` if it is a plain token, else a new one, sent
back), a log line, and the request metrics, all by route template - ``/v1/cases/{case_id}``, never an id."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from hub.observability.logs import REQUEST_ID
from hub.observability.metrics import LATENCY, REQUESTS

HEADER = b"x-request-id"
_PLAIN = re.compile(rb"^[A-Za-z0-9._:-]{1,64}$")
UNMATCHED = "unmatched"  # a path no route serves: one label, however many paths are tried

log = logging.getLogger("hub.requests")


def route_of(scope: dict[str, Any]) -> str:
    route = scope.get("route")
    return getattr(route, "path", None) or UNMATCHED


class RequestLog:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(HEADER, b"")
        request_id = given.decode() if _PLAIN.match(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        started, status = time.perf_counter(), [500]

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", []), (HEADER, request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            took = time.perf_counter() - started
            method, route = scope["method"], route_of(scope)
            REQUESTS.labels(method, route, str(status[0])).inc()
            LATENCY.labels(method, route).observe(took)
            log.info("request", extra={"method": method, "route": route, "status": status[0],
                                       "duration_ms": round(took * 1000, 1)})
            REQUEST_ID.reset(token)
