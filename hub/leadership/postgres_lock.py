"""PostgreSQL: a session-level advisory lock, held by a connection of its own for as long as it leads.

The server ends the session - and so frees the lock - the moment the leader's process dies (its socket
closes) or, when its host vanishes without closing it, once TCP keepalives give up on it (about
``KEEPALIVE_IDLE + KEEPALIVE_INTERVAL * KEEPALIVE_COUNT`` seconds).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import psycopg

from hub.store import DEFAULT_SCHEMA, postgres_conninfo

KEEPALIVE_IDLE, KEEPALIVE_INTERVAL, KEEPALIVE_COUNT = 5, 2, 3
CONNECT_TIMEOUT = 5


class PostgresLock:
    def __init__(self, env: Mapping[str, str], kind: str) -> None:
        self.env = env
        self.key = f"referral-hub leader {env.get('POSTGRES_SCHEMA') or DEFAULT_SCHEMA} {kind}"
        self.conn: psycopg.Connection[Any] | None = None

    def try_acquire(self) -> bool:
        if self.conn is None or self.conn.closed:
            self.conn = self._connect()
        row = self.conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [self.key]).fetchone()
        return bool(row and row[0])

    def alive(self) -> bool:
        """Whether the session holding the lock still answers: if it does not, the lock may be another's."""
        if self.conn is None:
            return False
        try:
            self.conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            self.release()
            return False

    def release(self) -> None:
        if self.conn is not None:
            self.conn.close()  # the lock ends with the session
            self.conn = None

    def _connect(self) -> psycopg.Connection[Any]:
        conn = psycopg.connect(
            postgres_conninfo(self.env), autocommit=True, connect_timeout=CONNECT_TIMEOUT,
            keepalives=1, keepalives_idle=KEEPALIVE_IDLE, keepalives_interval=KEEPALIVE_INTERVAL,
            keepalives_count=KEEPALIVE_COUNT,
        )
        # The server's side of the same: a leader whose host vanished loses the lock in seconds, not hours.
        for name, value in (("idle", KEEPALIVE_IDLE), ("interval", KEEPALIVE_INTERVAL), ("count", KEEPALIVE_COUNT)):
            conn.execute(f"SET tcp_keepalives_{name} = {int(value)}")
        return conn
