"""The keys a backup cannot be read or vouched for without, written to a file of their own.

The master key unwraps every child's data key; the checkpoint key signed the chain's heads. Neither
is in the database, and neither may go with its backups (who steals one would hold the other), so
``hub backup --keys-to`` writes them apart, for the operator to keep elsewhere, and ``hub restore
--keys-from`` puts them back: beside the embedded store, or checked against a deployment's settings.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Mapping
from pathlib import Path

from hub.audit.signing_key import ENV as CHECKPOINT_ENV
from hub.audit.signing_key import FILE_ENV as CHECKPOINT_FILE_ENV
from hub.audit.signing_key import default_key_path, load_checkpoint_seed
from hub.backup.manifest import BackupError
from hub.crypto.master_key import ENV as MASTER_ENV
from hub.crypto.master_key import FILE_NAME as MASTER_FILE
from hub.crypto.master_key import load_master_key


def write_keys(env: Mapping[str, str], path: Path, backup: Path) -> None:
    if path.resolve().is_relative_to(backup.resolve()):
        raise BackupError(f"{path} is inside the backup {backup}: keep the keys apart from the data they unlock")
    keys = {"master_key": _text(load_master_key(env)), "checkpoint_key": _text(load_checkpoint_seed(env))}
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{path} exists: the keys file is never overwritten, name a new one") from None
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        json.dump(keys, file)
        file.write("\n")


def install_keys(env: Mapping[str, str], path: Path) -> None:
    """Puts the keys where the configured store looks for them, or checks that they are already the ones
    configured; a different key in place is an error, never replaced."""
    keys = json.loads(path.read_text(encoding="utf-8"))
    embedded = _embedded_directory(env)
    if embedded is not None and not env.get(MASTER_ENV):
        _place(embedded / MASTER_FILE, keys["master_key"])
    if embedded is not None and not env.get(CHECKPOINT_ENV) and not env.get(CHECKPOINT_FILE_ENV):
        _place(default_key_path(env), keys["checkpoint_key"])
    if _text(load_master_key(env)) != keys["master_key"]:
        raise BackupError(f"{MASTER_ENV} is not the master key the backup was written with ({path} holds it)")
    if _text(load_checkpoint_seed(env)) != keys["checkpoint_key"]:
        raise BackupError(f"the checkpoint key configured is not the one that signed the backup's chain ({path})")


def require_master_key(env: Mapping[str, str]) -> None:
    """An embedded store restored without its master key would make a new one and read nothing."""
    embedded = _embedded_directory(env)
    if embedded is not None and not env.get(MASTER_ENV) and not (embedded / MASTER_FILE).exists():
        raise BackupError(
            f"{embedded} has no {MASTER_FILE}: the restored data is unreadable without the master key it was"
            " written with; give --keys-from with the file `hub backup --keys-to` wrote"
        )


def _place(path: Path, text: str) -> None:
    if path.exists():
        if path.read_text(encoding="utf-8").strip() != text:
            raise BackupError(f"{path} holds another key: move it away before restoring with these keys")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(text + "\n")


def _embedded_directory(env: Mapping[str, str]) -> Path | None:
    if env.get("PERSISTENCE_MODULE") != "eventsourcing.sqlite":
        return None
    name = env.get("SQLITE_DBNAME") or ""
    return None if ":memory:" in name else Path(name).parent


def _text(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode()
