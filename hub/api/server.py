"""Runs the API under uvicorn: in the foreground (``hub serve``) or on a background thread.

Either way with deadlines for requests to arrive (hub/api/request_deadlines.py),
and trusting ``X-Forwarded-For`` and ``X-Forwarded-Proto`` only from the
proxies in ``HUB_FORWARDED_ALLOW_IPS``: they decide the client address that
rate limits count by and whether an answer says to keep to HTTPS.
"""

from __future__ import annotations

import os
import resource
import socket
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from hub.api.request_deadlines import DeadlinedConfig, request_deadlines

FORWARDED_ENV = "HUB_FORWARDED_ALLOW_IPS"
DEFAULT_FORWARDED = "127.0.0.1,::1"  # a proxy on the same host only
DESCRIPTORS = 65536  # when the hard limit is unlimited
STARTUP_FAILURE = 3  # uvicorn's exit status for a server that did not start


def server_config(
    app: FastAPI, host: str, port: int, env: Mapping[str, str], log_level: str = "info"
) -> DeadlinedConfig:
    return DeadlinedConfig(
        app, request_deadlines(env), host=host, port=port, log_level=log_level,
        forwarded_allow_ips=env.get(FORWARDED_ENV) or DEFAULT_FORWARDED,
    )


def serve(app: FastAPI, host: str, port: int, env: Mapping[str, str] = os.environ) -> None:
    _raise_descriptor_limit()
    server = uvicorn.Server(server_config(app, host, port, env))
    server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)


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
    server = uvicorn.Server(server_config(app, host, port, env, log_level="warning"))
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
