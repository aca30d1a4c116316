"""The API as deployed (``hub serve --workers N``: uvicorn's supervisor and N worker processes, each with
its hub, its follower and its thread pool), plus two routes the product does not have, for the benchmark:

- ``POST /bench/empty``: the submission's route without the hub's work. The same shape: the same bearer
  token check and permission (``referral.submit``), the same body model validated, the same
  Idempotency-Key header, the same views dependency, an async route making one hop to the same thread
  pool, a JSON answer through a response model, and found by the router as early as the submission's
  route is (FastAPI tries the routes in order, a few microseconds each: the last of 183 cost about half a
  millisecond to find). Measured in the same run, it is the ceiling the stack allows on this machine.
- ``GET /bench/worker``: the worker process that accepted the connection (bench/load.py spreads its
  connections with it).

    HUB_DATABASE_URL=... HUB_MASTER_KEY=... HUB_CHECKPOINT_KEY=... python -m bench.serve --ready FILE [--workers N]

Writes ``<url> <worker pids>`` to FILE once every worker answers, on a free loopback port (its standard
output is the workers' access log); stops when stdin closes.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Annotated

from eventsourcing.utils import strtobool
from fastapi import APIRouter, Depends, FastAPI, Header, Response, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from hub.api import capacity, server
from hub.api.auth import Caller, permitted
from hub.api.freshness import ViewsReached
from hub.api.schemas.referrals import SubmitReferral

HOST = "127.0.0.1"
START_S = 180.0


class Received(BaseModel):
    agency: str
    idempotency_key: str | None
    city: str


class Worker(BaseModel):
    pid: int


router = APIRouter(prefix="/bench", tags=["benchmark"])


@router.post("/empty", status_code=status.HTTP_201_CREATED, response_model=Received)
async def empty(
    *,
    body: SubmitReferral,
    response: Response,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=255, pattern=r"^[\x21-\x7e]+$"),
    caller: Annotated[Caller, Depends(permitted("referral.submit"))],
) -> Received:
    received = await run_in_threadpool(
        Received, agency=caller.actor.agency, idempotency_key=idempotency_key, city=body.child.city
    )
    response.headers["Location"] = "/bench/empty"
    return received


@router.get("/worker", response_model=Worker)
async def worker() -> Worker:
    return Worker(pid=os.getpid())


def worker_app() -> FastAPI:
    """A worker of ``hub serve --workers N`` (hub/api/server.py), with the benchmark's routes."""
    app = server.worker_app()
    app.include_router(router, dependencies=[ViewsReached])
    app.router.routes.insert(0, app.router.routes.pop())  # tried first, as the submissions' router nearly is
    return app


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _announce(port: int, workers: int, ready: Path) -> None:
    """Writes ``ready`` once each worker answered a connection of its own, then waits for stdin to close."""
    seen: set[int] = set()
    deadline = time.monotonic() + START_S
    while len(seen) < workers and time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/bench/worker")
            seen.add(json.loads(connection.getresponse().read())["pid"])
            connection.close()
        except (OSError, ValueError, http.client.HTTPException):
            time.sleep(0.2)
    if len(seen) == workers:
        draft = ready.with_suffix(".draft")
        draft.write_text(f"http://{HOST}:{port} {','.join(map(str, sorted(seen)))}\n")
        draft.rename(ready)  # whole, or not there
        sys.stdin.read()  # until the benchmark closes our stdin
    os.kill(os.getpid(), signal.SIGTERM)  # the supervisor stops its workers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ready", type=Path, required=True, help="a file to write the URL and worker pids to")
    parser.add_argument("--workers", type=int, default=capacity.default_workers())
    args = parser.parse_args()
    capacity.size_pool(os.environ, capacity.worker_connections(os.environ))  # as `hub serve` does
    port = _free_port()
    threading.Thread(target=_announce, args=(port, args.workers, args.ready), daemon=True).start()
    project = strtobool(os.environ.get("HUB_SERVE_PROJECTS") or "yes")
    server.serve_workers(HOST, port, args.workers, project, factory="bench.serve:worker_app")


if __name__ == "__main__":
    main()
