"""``/ready``: whether this process should be sent requests - the database answers, the views are not too
far behind the log, and the broker (when one is configured) accepts connections.

Each check names what failed and why in words an operator acts on, never a value of a record.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hub.observability.lag import projection_lag

MAX_LAG_EVENTS_ENV, DEFAULT_MAX_LAG_EVENTS = "HUB_READY_MAX_LAG_EVENTS", 10_000
MAX_LAG_SECONDS_ENV, DEFAULT_MAX_LAG_SECONDS = "HUB_READY_MAX_LAG_S", 300.0
BROKER_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Bounds:
    lag_events: int
    lag_seconds: float

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Bounds:
        return cls(
            int(env.get(MAX_LAG_EVENTS_ENV) or DEFAULT_MAX_LAG_EVENTS),
            float(env.get(MAX_LAG_SECONDS_ENV) or DEFAULT_MAX_LAG_SECONDS),
        )


def checks(hub: Any, bounds: Bounds, broker: str | None) -> list[Check]:
    found = [_store(hub, bounds)]
    if broker:
        found.append(_broker(broker))
    return [c for check in found for c in check]


def _store(hub: Any, bounds: Bounds) -> list[Check]:
    try:
        lag = projection_lag(hub)
    except Exception as error:
        return [Check("database", False, f"the store did not answer ({type(error).__name__})")]
    behind = lag.events > bounds.lag_events or lag.seconds > bounds.lag_seconds
    return [
        Check("database", True, "answers"),
        Check(
            "views",
            not behind,
            f"{lag.events} event(s), {lag.seconds:.0f} s behind the log (bounds: {bounds.lag_events} events, "
            f"{bounds.lag_seconds:.0f} s)",
        ),
    ]


def store_answers(env: Mapping[str, str]) -> Check:
    """The store answers a query on a connection of its own: a health check's, without starting a hub."""
    import sqlite3

    import psycopg

    from hub.store import postgres_conninfo, store_env

    settings = {**env, **store_env(env)}
    try:
        if settings.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
            with psycopg.connect(postgres_conninfo(settings), connect_timeout=int(BROKER_TIMEOUT_S) + 1) as conn:
                conn.execute("SELECT 1")
        else:
            with sqlite3.connect(settings.get("SQLITE_DBNAME", ":memory:"), timeout=BROKER_TIMEOUT_S) as conn:
                conn.execute("SELECT 1")
    except Exception as error:
        return Check("database", False, f"the store did not answer ({type(error).__name__})")
    return Check("database", True, "answers")


def broker_answers(bootstrap: str) -> Check:
    return _broker(bootstrap)[0]


def _broker(bootstrap: str) -> list[Check]:
    for address in bootstrap.split(","):
        host, _, port = address.strip().rpartition(":")
        try:
            with socket.create_connection((host.strip("[]") or "localhost", int(port)), timeout=BROKER_TIMEOUT_S):
                return [Check("broker", True, f"{address.strip()} accepts connections")]
        except (OSError, ValueError):
            continue
    return [Check("broker", False, f"no bootstrap server of {bootstrap} accepts connections")]
