"""Runs the API under uvicorn: in the foreground (``hub serve``), as several worker processes (``hub serve
--workers N``), or on a background thread.

Each way with deadlines for requests to arrive (hub/api/request_deadlines.py), as many request threads as
hub/api/capacity.py sizes, and trusting ``X-Forwarded-For`` and ``X-Forwarded-Proto`` only from the
proxies in ``HUB_FORWARDED_ALLOW_IPS``: they decide the client address that rate limits count by and
whether an answer says to keep to HTTPS.

With several workers, uvicorn's supervisor binds the socket and starts each worker as a process of its
own (spawned, not forked: no thread or connection of the supervisor's is copied); each worker builds its
own hub from the application factory :func:`worker_app`, and follows the log on a thread of its own. None
of them projects: one projector is enough, and two would only race for the same rows, so the supervisor
keeps the views up to date (:func:`views_kept_up_to_date`), or ``hub project`` does apart.
"""

from __future__ import annotations

import logging
import os
import resource
import signal
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager, nullcontext
from typing import Any

import uvicorn
from anyio import to_thread
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from hub.api import capacity
from hub.api.request_deadlines import DeadlinedConfig, request_deadlines
from hub.observability.logs import uvicorn_config

FORWARDED_ENV = "HUB_FORWARDED_ALLOW_IPS"
DEFAULT_FORWARDED = "127.0.0.1,::1"  # a proxy on the same host only
DESCRIPTORS = 65536  # when the hard limit is unlimited
STARTUP_FAILURE = 3  # uvicorn's exit status for a server that did not start
WORKER_APP = "hub.api.server:worker_app"  # the application factory each worker process calls
# How long the supervisor waits for a worker to answer its health check before killing and replacing it.
# uvicorn's 5 s is less than a worker takes to import the hub on a busy host (3 s on an idle-ish 2-core
# machine): each replacement was killed in turn, and the API never came back after a crash.
WORKER_HEALTHCHECK_S = 60
PR_SET_PDEATHSIG = 1

log = logging.getLogger("uvicorn.error")  # uvicorn configures it in the supervisor and in every worker


def server_config(
    app: FastAPI | str, host: str, port: int, env: Mapping[str, str], log_level: str = "info", **settings: Any
) -> DeadlinedConfig:
    settings.setdefault("log_config", uvicorn_config())  # JSON lines, without uvicorn's access log (0032)
    return DeadlinedConfig(
        app, request_deadlines(env), host=host, port=port, log_level=log_level, access_log=False,
        forwarded_allow_ips=env.get(FORWARDED_ENV) or DEFAULT_FORWARDED, **settings,
    )


def serve(app: FastAPI, host: str, port: int, env: Mapping[str, str] = os.environ) -> None:
    """One process: the caller's hub serves every request (``hub serve --workers 1``)."""
    _raise_descriptor_limit()
    server = uvicorn.Server(server_config(with_threads(app, capacity.threads(env)), host, port, env))
    server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)


def serve_workers(
    host: str, port: int, workers: int, project: bool, env: Mapping[str, str] = os.environ,
    factory: str = WORKER_APP,
) -> None:
    """``workers`` processes, each serving from the hub that ``factory`` (an import string) builds, under
    uvicorn's supervisor, which restarts a worker that dies; with ``project``, the supervisor keeps the
    views up to date meanwhile. Returns when SIGINT or SIGTERM stopped them."""
    _raise_descriptor_limit()  # the workers inherit the limit
    shared_metrics(os.environ)
    config = server_config(  # configures the logs too
        factory, host, port, env, factory=True, workers=workers, timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
    )
    with views_kept_up_to_date(env) if project else nullcontext():
        Multiprocess(config, sockets=[config.bind_socket()]).run()


def shared_metrics(environ: Any) -> None:
    """Every worker writes its metrics to one directory, and the one answering /metrics adds them up
    (prometheus-client's multiprocess mode). The deployment may name it (``PROMETHEUS_MULTIPROC_DIR``, set
    before the supervisor starts: then the supervisor's projector is counted too); else a new one is made
    for the workers. Files of an earlier run are removed: their processes are gone."""
    import tempfile
    from pathlib import Path

    from hub.observability.exposition import MULTIPROCESS_ENV

    if not environ.get(MULTIPROCESS_ENV):
        environ[MULTIPROCESS_ENV] = tempfile.mkdtemp(prefix="hub-metrics-")
    for stale in Path(environ[MULTIPROCESS_ENV]).glob("*.db"):
        if not stale.stem.endswith(f"_{os.getpid()}"):  # the supervisor's own, already open, are kept
            stale.unlink()


def worker_app() -> FastAPI:
    """One worker of ``hub serve --workers N``: a hub of its own that follows the log and never projects.
    Its environment is the supervisor's, which sized the store's pool (hub/api/capacity.py)."""
    _die_with_supervisor()
    from hub.api.app import create_app
    from hub.bootstrap import bootstrap
    from hub.young_collections import start_up_done

    hub = bootstrap(serving=True)
    hub.start(project=False)
    log.info("worker [%d] follows the log", os.getpid())
    app = with_threads(create_app(hub), capacity.threads(os.environ), on_shutdown=hub.close)
    start_up_done()
    return app


def with_threads(app: FastAPI, threads: int, on_shutdown: Callable[[], None] | None = None) -> FastAPI:
    """Runs the sync routes on ``threads`` threads (anyio's limiter is per event loop, so it is set once
    the server's loop runs), and ``on_shutdown`` after the server stopped taking requests."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(target: Any) -> AsyncIterator[Any]:
        to_thread.current_default_thread_limiter().total_tokens = threads
        try:
            async with inner(target) as state:
                yield state
        finally:
            if on_shutdown is not None:
                on_shutdown()

    app.router.lifespan_context = lifespan
    return app


@contextmanager
def views_kept_up_to_date(env: Mapping[str, str]) -> Iterator[None]:
    """The supervisor's projector and deliverer: a hub of its own (two connections) taking the views up to the
    log on a thread, and delivering the notices on another, until the block ends."""
    from hub.bootstrap import FOLLOW_INTERVAL, bootstrap
    from hub.delivery.settings import DeliverySettings
    from hub.delivery.worker import DeliveryWorker
    from hub.projections.projector import run_projector

    hub = bootstrap({**env, "POSTGRES_POOL_SIZE": str(capacity.SUPERVISOR_POOL), "POSTGRES_MAX_OVERFLOW": "0"},
                    serving=True)
    stop = threading.Event()
    deliverer = DeliveryWorker(hub, DeliverySettings.from_env(env))
    threads = [
        threading.Thread(target=run_projector, args=(hub.views, stop, FOLLOW_INTERVAL), name="hub-project",
                         daemon=True),
        threading.Thread(target=deliverer.run, args=(stop,), name="hub-deliver", daemon=True),
    ]
    for thread in threads:
        thread.start()
    log.info("process [%d] keeps the views up to date and delivers the notices", os.getpid())
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        hub.close()


def _die_with_supervisor() -> None:
    """Linux: a worker gets SIGTERM when its supervisor dies, even by SIGKILL, instead of holding the port
    with no one to restart it (a supervisor started again could not bind it)."""
    import ctypes
    import multiprocessing

    supervisor = multiprocessing.parent_process()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if supervisor is not None and os.getppid() != supervisor.pid:  # it died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


def _raise_descriptor_limit() -> None:
    """Every open connection holds a descriptor until it is answered or its deadline passes; the usual soft
    limit of 1,024 would let a thousand slow clients stop the server from accepting anyone else."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = DESCRIPTORS if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


@contextmanager
def serving_in_background(
    app: FastAPI, host: str = "127.0.0.1", startup_timeout: float = 20.0, env: Mapping[str, str] = os.environ
) -> Iterator[str]:
    """Serves on an ephemeral loopback port; yields the base URL once it accepts requests."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        port = probe.getsockname()[1]
    # In a test's process: its logging is the test runner's to configure.
    server = uvicorn.Server(server_config(app, host, port, env, log_level="warning", log_config=None))
    thread = threading.Thread(target=server.run, name="hub-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the API did not start on {host}:{port}")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
