"""The production store copied with pg_dump and put back with pg_restore.

pg_dump reads the whole schema in one repeatable-read transaction, so the copy is one consistent
moment of the log, the chain and every other table, while the hub goes on writing. The custom
format is compressed and lets pg_restore choose what to restore. The tools must be on the PATH
(the hub image installs postgresql-client); their errors are passed on as they are.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import psycopg

from hub.backup.manifest import BackupError
from hub.store import postgres_conninfo


def dump_schema(env: Mapping[str, str], target: Path) -> None:
    _run(["pg_dump", "--format=custom", f"--schema={_schema(env)}", f"--file={target}"], env)


def restore_schema(env: Mapping[str, str], backup: Path, schema: str) -> None:
    """Restores ``schema`` from ``backup`` into the configured database, where it must hold no events."""
    if _schema(env) != schema:
        raise BackupError(
            f"the backup holds schema {schema!r} but HUB_DATABASE_URL names {_schema(env)!r}:"
            f" restore into ?schema={schema} (pg_restore cannot rename a schema)"
        )
    if _holds_events(env, schema):
        raise BackupError(f"schema {schema!r} already holds events: restore into an empty database or schema")
    # What the hub created on start-up in an empty schema would collide with the restored tables.
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error",
          str(backup)], env, dbname_flag=True)


def _schema(env: Mapping[str, str]) -> str:
    return env["POSTGRES_SCHEMA"]


def _holds_events(env: Mapping[str, str], schema: str) -> bool:
    with psycopg.connect(postgres_conninfo(env)) as conn:
        table = conn.execute("SELECT to_regclass(%s)", [f'"{schema}".hub_events']).fetchone()
        if table is None or table[0] is None:
            return False
        return conn.execute(f'SELECT EXISTS (SELECT 1 FROM "{schema}".hub_events)').fetchone()[0]  # type: ignore[index]


def _run(command: list[str], env: Mapping[str, str], dbname_flag: bool = False) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not on the PATH: install the PostgreSQL client tools (postgresql-client)")
    conninfo = postgres_conninfo({**env, "POSTGRES_PASSWORD": ""})  # the password goes by PGPASSWORD, not argv
    command = [*command, f"--dbname={conninfo}"] if dbname_flag else [*command, conninfo]
    child_env = {**os.environ, "PGPASSWORD": env.get("POSTGRES_PASSWORD", "")}
    done = subprocess.run(command, env=child_env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()}")
