"""What load balancers, orchestrators and Prometheus ask: ``/health`` (liveness), ``/ready`` (readiness)
and ``/metrics`` (docs/decisions/0032). None of them says anything about a record."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from hub.api.deps import hub_of
from hub.api.problems import problem, problem_responses
from hub.bootstrap import Hub
from hub.observability import readiness
from hub.observability.exposition import metrics_text

router = APIRouter(tags=["operations"])
METRICS_TOKEN_ENV = "HUB_METRICS_TOKEN"
BROKER_ENV = "HUB_KAFKA_BOOTSTRAP"
PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"

HubOf = Annotated[Hub, Depends(hub_of)]


class Health(BaseModel):
    status: str
    store: str


class Ready(BaseModel):
    status: str
    checks: dict[str, str]


@router.get("/health", response_model=Health)
def health(hub: HubOf) -> Health:
    """Liveness: the process answers. It names the kind of store and touches nothing."""
    return Health(status="ok", store=hub.store.env.get("PERSISTENCE_MODULE", "").rsplit(".", 1)[-1])


@router.get("/ready", response_model=Ready, responses=problem_responses(503))
def ready(request: Request, hub: HubOf) -> Ready | Response:
    """Readiness: the database answers a cheap query, the views are within ``HUB_READY_MAX_LAG_EVENTS`` events
    and ``HUB_READY_MAX_LAG_S`` seconds of the log, and the broker accepts connections when one is configured."""
    env = request.app.state.settings
    found = readiness.checks(hub, readiness.Bounds.from_env(env), env.get(BROKER_ENV))
    failed = [c for c in found if not c.ok]
    if failed:
        return problem(
            request, 503, "not-ready", "Not ready", "; ".join(f"{c.name}: {c.detail}" for c in failed),
            headers={"Retry-After": "5"}, checks=[{"name": c.name, "detail": c.detail} for c in failed],
        )
    return Ready(status="ready", checks={c.name: c.detail for c in found})


def _scraper(request: Request) -> None:
    """Only the holder of ``HUB_METRICS_TOKEN``; without one set, the route is answered as if it did not exist."""
    token = request.app.state.settings.get(METRICS_TOKEN_ENV, "")
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise StarletteHTTPException(404, "Not Found")


@router.get(
    "/metrics", dependencies=[Depends(_scraper)], responses={200: {"content": {PROMETHEUS_TEXT: {}}},
                                                             **problem_responses(404)},
    response_class=Response,
)
async def metrics(request: Request, hub: HubOf) -> Response:
    """Prometheus metrics (deploy/OPERATOR.md, "Metrics"), for the bearer of ``HUB_METRICS_TOKEN``."""
    kafka = request.app.state.kafka
    return Response(await run_in_threadpool(metrics_text, hub, kafka), media_type=PROMETHEUS_TEXT)
