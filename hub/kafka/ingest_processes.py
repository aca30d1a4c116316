"""``hub ingest --processes N``: N ingestion processes under one supervisor (docs/decisions/0028).

Each process runs one consumer per adapter topic, in that adapter's consumer group, so Kafka spreads
the topics' partitions over the processes, and the work over the cores that one interpreter lock would
keep idle. A process that ends on its own (a worker failed) stops the others and the supervisor exits
with a failure, for its own supervisor (docker, systemd) to start them again; SIGTERM stops them all
cleanly. A process dies with its supervisor, even by SIGKILL: none is left holding its partitions.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping

PROCESSES_ENV = "HUB_INGEST_PROCESSES"
PR_SET_PDEATHSIG = 1
WATCH_S = 0.5  # how often the supervisor looks whether a process ended

log = logging.getLogger(__name__)


def default_processes(env: Mapping[str, str] = os.environ) -> int:
    """``HUB_INGEST_PROCESSES``, else the cores this process may run on (a container's CPU set)."""
    chosen = env.get(PROCESSES_ENV, "").strip()
    if chosen:
        if not chosen.isdigit() or int(chosen) < 1:
            raise ValueError(f"{PROCESSES_ENV} must be a number of processes, 1 or more, not {chosen!r}")
        return int(chosen)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _killed_with_supervisor() -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def supervise(adapters: list[str], processes: int, stop: threading.Event) -> int:
    """Runs ``processes`` single-process ``hub ingest`` commands until ``stop`` or one of them ends;
    0 when stopped and every process ended cleanly."""
    command = [sys.executable, "-m", "hub.cli.main", "ingest", "--processes", "1",
               *(f"--adapter={a}" for a in adapters)]
    children = [subprocess.Popen(command, preexec_fn=_killed_with_supervisor) for _ in range(processes)]
    log.info("ingesting in %d processes: %s", processes, ", ".join(str(c.pid) for c in children))
    ended = None
    while not stop.is_set() and ended is None:
        ended = next((c for c in children if c.poll() is not None), None)
        stop.wait(WATCH_S)
    if ended is not None:
        log.error("ingestion process %d ended (status %s); stopping the others", ended.pid, ended.returncode)
    for child in children:
        if child.poll() is None:
            child.terminate()
    codes = [child.wait() for child in children]
    return 0 if ended is None and not any(codes) else 1
