"""A worker's sign of life for its container's health check: the loops touch ``HUB_HEARTBEAT_PATH`` at
each turn (working or standing by), and ``hub check`` finds it fresh - a worker stuck in a call that never
returns stops touching it, and its container is marked unhealthy (docs/decisions/0032)."""

from __future__ import annotations

import os
import time
from pathlib import Path

FILE_ENV = "HUB_HEARTBEAT_PATH"


def beat() -> None:
    path = os.environ.get(FILE_ENV)
    if path:
        Path(path).touch()


def age(path: str) -> float | None:
    """Seconds since the last beat; None if there never was one."""
    try:
        return time.time() - Path(path).stat().st_mtime
    except FileNotFoundError:
        return None
