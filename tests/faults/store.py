"""The store the hub's processes and the test share: a fresh PostgreSQL schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from hub.bootstrap import Hub
from tests.conftest import POSTGRES_URL


def own_session() -> psycopg.Connection[Any]:
    """The tests' own session on the server, named apart from the hub's: a cut never ends it."""
    return psycopg.connect(POSTGRES_URL, autocommit=True, application_name="hub fault tests")


@dataclass(frozen=True)
class Store:
    url: str
    hub: Hub  # the test's own view of the store: tokens, and reading the log back

    @property
    def schema(self) -> str:
        return self.url.rsplit("schema=", 1)[1]

    def cut_connections(self) -> int:
        """Ends every session the hub's processes hold on this schema (their application names start with
        it, tests/faults/processes.py), as a database failover or an administrator's
        pg_terminate_backend does; returns how many there were."""
        with own_session() as conn:
            return len(conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE starts_with(application_name, %s)",
                [f"{self.schema}:"],
            ).fetchall())
