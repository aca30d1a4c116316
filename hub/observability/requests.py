"""Every request: a request id (the caller's ``X-Request-Id`` if it is a plain token, else a new one, sent
back), a log line, and the request metrics, all by route template - ``/v1/cases/{case_id}``, never an id."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Sequence
from typing import Any

from starlette.routing import Match

from hub.observability.logs import REQUEST_ID
from hub.observability.metrics import LATENCY, REQUESTS

HEADER = b"x-request-id"
_PLAIN = re.compile(rb"^[A-Za-z0-9._:-]{1,64}$")
UNMATCHED = "unmatched"  # a path no route serves: one label, however many paths are tried

log = logging.getLogger("hub.requests")


def route_of(scope: dict[str, Any], routes: Sequence[Any]) -> str:
    """The template of the route that answered: the one the router noted, else (a plain Starlette route, such
    as /openapi.json, noted on a copy of the scope) the first that matches the request in full."""
    route = scope.get("route")
    if route is None:
        route = next((r for r in routes if r.matches(scope)[0] is Match.FULL), None)
    return getattr(route, "path", None) or UNMATCHED


class RequestLog:
    def __init__(self, app: Any, routes: Sequence[Any] = ()) -> None:
        self.app, self.routes = app, routes

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
            method, route = scope["method"], route_of(scope, self.routes)
            REQUESTS.labels(method, route, str(status[0])).inc()
            LATENCY.labels(method, route).observe(took)
            log.info("request", extra={"method": method, "route": route, "status": status[0],
                                       "duration_ms": round(took * 1000, 1)})
            REQUEST_ID.reset(token)
