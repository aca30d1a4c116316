"""Where events are kept: SQLite by default, PostgreSQL when configured.

One setting, ``HUB_DATABASE_URL``, chooses the store:
- unset: an SQLite file ``hub.sqlite`` under ``HUB_DATA_DIR`` (default ``./var``);
- ``sqlite:///path/to/file.db``;
- ``postgresql://user:password@host:port/dbname?schema=name``.
eventsourcing's own variables (``PERSISTENCE_MODULE``, ``POSTGRES_*``,
``SQLITE_DBNAME``) win when they are set, so an operator used to the library
can configure it the library's way.

The embedded store's files hold the log and, beside it, the master key: the
hub creates its data directory 0700 and the SQLite file 0600 before the driver
opens it, so that the driver's WAL and shared-memory files are 0600 too
(SQLite gives them the database file's mode).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresDatastore

DEFAULT_SCHEMA = "public"
PRIVATE_FILE = 0o600
PRIVATE_DIRECTORY = 0o700

log = logging.getLogger(__name__)

# The store did not answer: the database is away, restarting, or ended the session. Worth trying again.
UNAVAILABLE: tuple[type[Exception], ...] = (
    OperationalError,  # eventsourcing's wrapper of the drivers' (includes a connection pool timing out)
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,  # "database is locked"
)


PASSWORD_ENV = "HUB_DATABASE_PASSWORD"


def store_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    environ = os.environ if environ is None else environ
    if environ.get("PERSISTENCE_MODULE"):
        return {}
    url = environ.get("HUB_DATABASE_URL", "")
    if not url:
        return _sqlite_env(_private_file(Path(environ.get("HUB_DATA_DIR", "var")) / "hub.sqlite"))
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        return _sqlite_env(":memory:" if path.endswith(":memory:") else _private_file(Path(path)))
    if parsed.scheme in ("postgres", "postgresql"):
        # The password may come apart from the URL (HUB_DATABASE_PASSWORD_FILE: the secret the database
        # server reads too), so that the URL, which is no secret, can be shown and logged.
        password = environ.get(PASSWORD_ENV) or parsed.password
        return _postgres_env(parsed.hostname, parsed.port, parsed.username, password, parsed.path, parsed.query)
    raise ValueError(f"HUB_DATABASE_URL has an unknown scheme {parsed.scheme!r}: use sqlite:// or postgresql://")


def _private_file(path: Path) -> str:
    """Creates the database file, and its directory, for the owner alone; says so if an existing one is not."""
    path.parent.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDONLY | os.O_CREAT, PRIVATE_FILE))  # an empty file is an empty database
    if path.stat().st_mode & 0o077:
        log.warning("%s is readable by other users than its owner: chmod 600 it and its -wal and -shm files", path)
    return str(path)


def _sqlite_env(path: str) -> dict[str, str]:
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": path, "SQLITE_LOCK_TIMEOUT": "10"}


def _postgres_env(
    host: str | None, port: int | None, user: str | None, password: str | None, path: str, query: str
) -> dict[str, str]:
    schema = parse_qs(query).get("schema", [DEFAULT_SCHEMA])[0]
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": path.lstrip("/") or "postgres",
        "POSTGRES_HOST": host or "127.0.0.1",
        "POSTGRES_PORT": str(port or 5432),
        "POSTGRES_USER": unquote(user or "postgres"),
        "POSTGRES_PASSWORD": unquote(password or ""),
        "POSTGRES_SCHEMA": schema,
    }
    return env


def postgres_conninfo(env: Mapping[str, str]) -> str:
    return psycopg.conninfo.make_conninfo(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"],
        password=env.get("POSTGRES_PASSWORD") or None,
    )


@contextmanager
def setting_up(env: Mapping[str, str]) -> Iterator[None]:
    """Lets one process at a time set the store up.

    Every process creates what it needs when it starts (``CREATE ... IF NOT EXISTS``, and the
    library's ``CREATE OR REPLACE FUNCTION`` even when the function exists), and PostgreSQL refuses
    two such statements on one object at the same moment ("tuple concurrently updated"): processes
    started together - a deployment, a supervisor restarting several after a crash - failed at
    random. An advisory lock per schema, held by a session of its own for the block, takes them in turn.
    """
    settings = {**os.environ, **env}
    if settings.get("PERSISTENCE_MODULE") != "eventsourcing.postgres":
        yield
        return
    schema = settings.get("POSTGRES_SCHEMA") or DEFAULT_SCHEMA
    with psycopg.connect(postgres_conninfo(settings), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", [f"referral-hub setup {schema}"])
        # The library needs the schema to exist; creating it spares operators a manual step.
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        yield  # the lock ends with the session


def discard_dead_connections(recorder: Any) -> None:
    """Tests every idle pooled connection at once and replaces the dead ones; call it after the store
    failed to answer.

    A database restart, a failover or ``pg_terminate_backend`` ends every session together, and the
    pool notices a dead connection only when someone next uses it: each one left in the pool failed
    one more operation in turn, so a worker backing off after each failure took minutes to come back.
    """
    datastore = getattr(recorder, "datastore", None)  # the embedded store keeps no pool to test
    if isinstance(datastore, PostgresDatastore):
        datastore.pool.check()
