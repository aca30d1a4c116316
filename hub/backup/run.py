"""Taking a backup of a live hub and restoring one into an empty store."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from hub import clock
from hub.audit.checkpoint import Checkpoint
from hub.audit.verify import Verification
from hub.backup import keys
from hub.backup.manifest import BackupError, Manifest
from hub.backup.postgres_copy import dump_schema, restore_schema
from hub.backup.sqlite_copy import copy_database, restore_database
from hub.bootstrap import bootstrap

SQLITE_FILE = "hub.sqlite"
POSTGRES_FILE = "hub.dump"


def take_backup(environ: Mapping[str, str] | None, directory: Path, keys_to: Path | None = None) -> Manifest:
    """Seals the log's head, then copies every table into ``directory`` (new or empty) while the hub goes on."""
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: each backup goes into a directory of its own")
    hub = bootstrap(environ)
    try:
        env = hub.store.env
        head = hub.integrity.seal_log()
        if head is None:
            raise BackupError("the log is empty: there is nothing to back up")
        directory.mkdir(parents=True, exist_ok=True)
        if keys_to is not None:
            keys.write_keys(env, keys_to, directory)
        postgres = env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres"
        data_file = POSTGRES_FILE if postgres else SQLITE_FILE
        if postgres:
            dump_schema(env, directory / data_file)
        else:
            copy_database(Path(env["SQLITE_DBNAME"]), directory / data_file)
        manifest = Manifest(
            store="postgres" if postgres else "sqlite", data_file=data_file, taken_at=clock.now().isoformat(),
            hub_version=version("referral-hub"), head=head.as_json(),
            schema=env.get("POSTGRES_SCHEMA") if postgres else None,
        )
        manifest.write(directory)
        return manifest
    finally:
        hub.close()


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    verification: Verification


def restore_backup(environ: Mapping[str, str] | None, directory: Path, keys_from: Path | None = None) -> Restored:
    """Restores the backup in ``directory`` into the configured store, which must hold no events, then verifies
    the restored chain through the head the backup sealed."""
    from hub.store import store_env

    manifest = Manifest.read(directory)
    source = {**os.environ, **(environ or {})}  # as the hub reads its settings
    env = {**source, **store_env(source)}
    if manifest.store == "postgres" and env.get("PERSISTENCE_MODULE") != "eventsourcing.postgres":
        raise BackupError("the backup is of a PostgreSQL store: set HUB_DATABASE_URL to an empty PostgreSQL one")
    if manifest.store == "sqlite" and env.get("PERSISTENCE_MODULE") != "eventsourcing.sqlite":
        raise BackupError("the backup is of an embedded store: restore it into HUB_DATA_DIR or a sqlite:// URL")
    if keys_from is not None:
        keys.install_keys(env, keys_from)
    keys.require_master_key(env)
    if manifest.store == "postgres":
        restore_schema(env, directory / manifest.data_file, manifest.schema or "")
    else:
        restore_database(directory / manifest.data_file, Path(env["SQLITE_DBNAME"]))
    hub = bootstrap(environ)
    try:
        verification = hub.integrity.verify_log(trusted=[Checkpoint.from_json(manifest.head)])
    finally:
        hub.close()
    return Restored(manifest, verification)
