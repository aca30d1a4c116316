"""What one API process takes of the machine and of the database: its request threads and its connections.

FastAPI runs the sync routes (every route that touches the store) on anyio's thread pool, 40 threads by
default. A thread holds at most one of the store's pooled connections at a time; so do the process's
follower and, in the one process that keeps the views up to date, the projector. The rule:

    threads per process        HUB_SERVE_THREADS (default 8)
    POSTGRES_POOL_SIZE         threads + 2   (the follower, and the projector or a spare)
    POSTGRES_MAX_OVERFLOW      0             (no thread can want more: an overflow would only hide a leak)

``hub serve --workers N`` then holds N x (threads + 2) connections, and its supervisor 2 more while it
projects; PostgreSQL's ``max_connections`` (100 by default) must cover that and every other hub process.

Why 8 and not anyio's 40: each process has one interpreter lock, so threads add throughput only while
others wait on the database; past a few, they wait for the lock and for each other instead (measured in
docs/benchmarks.md). Requests beyond the threads wait on the event loop, holding no connection.
An operator who sets ``POSTGRES_POOL_SIZE`` or ``POSTGRES_MAX_OVERFLOW`` keeps them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping

WORKERS_ENV = "HUB_SERVE_WORKERS"
THREADS_ENV = "HUB_SERVE_THREADS"
DEFAULT_THREADS = 8
PER_PROCESS = 2  # connections besides the request threads': the follower, and the projector or a spare
SUPERVISOR_POOL = 2  # the supervisor of several workers opens the store only to project and deliver notices


def threads(env: Mapping[str, str]) -> int:
    return _count(env, THREADS_ENV, DEFAULT_THREADS)


def default_workers(env: Mapping[str, str] = os.environ) -> int:
    """``HUB_SERVE_WORKERS``, else the cores this process may run on (a container's CPU set, not the host's)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return _count(env, WORKERS_ENV, cores)


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a whole number above 0, not {value!r}")
    return int(value)


def size_pool(env: MutableMapping[str, str], connections: int) -> None:
    """Sets the store's pool to ``connections``, unless the operator set it."""
    env.setdefault("POSTGRES_POOL_SIZE", str(connections))
    env.setdefault("POSTGRES_MAX_OVERFLOW", "0")


def worker_connections(env: Mapping[str, str]) -> int:
    return threads(env) + PER_PROCESS
