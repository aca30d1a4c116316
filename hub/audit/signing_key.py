"""Where the key that signs checkpoints comes from (docs/decisions/0021): never from the master key,
never from beside the data.

- ``HUB_CHECKPOINT_KEY``: the urlsafe base64 of a 32-byte Ed25519 seed;
- ``HUB_CHECKPOINT_KEY_FILE``: a file holding it (a deployment's secret, e.g. /run/secrets/...);
- neither, on the embedded SQLite store: ``referral-hub/checkpoint.key`` under ``$XDG_CONFIG_HOME``
  (default ``~/.config``), generated on first use, mode 0600, so ``scripts/start`` needs no set-up;
  an in-memory store gets a key that lives as long as the process, like its data;
- neither, on PostgreSQL: the hub refuses to start, as it does without ``HUB_MASTER_KEY``.

A key file inside the SQLite store's directory is refused: whoever can copy or write the data
must not find the key that vouches for it there.

``python -m hub.audit.signing_key`` prints a new key.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from hub.crypto.key_file import key_file

ENV = "HUB_CHECKPOINT_KEY"
FILE_ENV = "HUB_CHECKPOINT_KEY_FILE"
FILE_NAME = "checkpoint.key"
SEED_BYTES = 32


class CheckpointKeyError(RuntimeError):
    """The checkpoint signing key is missing, malformed, or kept where the data is."""


def new_checkpoint_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(SEED_BYTES)).decode()


def parse_seed(text: str, source: str) -> bytes:
    try:
        seed = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        seed = b""
    if len(seed) != SEED_BYTES:
        raise CheckpointKeyError(
            f"{source} is not a checkpoint signing key: expected the urlsafe base64 of a {SEED_BYTES}-byte"
            " Ed25519 seed (generate one with `python -m hub.audit.signing_key`)"
        )
    return seed


def load_checkpoint_seed(env: Mapping[str, str]) -> bytes:
    """The signing key's seed for the hub that ``env`` configures (see the module docstring)."""
    value, file = env.get(ENV), env.get(FILE_ENV)
    if value and file:
        raise CheckpointKeyError(f"set {ENV} or {FILE_ENV}, not both: which key signs must not be a guess")
    if value:
        return parse_seed(value, ENV)
    data_dir = _sqlite_directory(env)
    if file:
        path = _outside(Path(file), data_dir, FILE_ENV)
        if not path.is_file():
            raise CheckpointKeyError(f"{FILE_ENV} names {path}, which is not a readable file")
        return parse_seed(path.read_text(), str(path))
    module = env.get("PERSISTENCE_MODULE") or ""
    if module == "eventsourcing.sqlite":
        if data_dir is None:
            return secrets.token_bytes(SEED_BYTES)
        path = _outside(default_key_path(env), data_dir, "the checkpoint key")
        return parse_seed(key_file(path, new_checkpoint_key), str(path))
    raise CheckpointKeyError(
        f"{FILE_ENV} is not set (nor {ENV}). Checkpoints of the audit log are signed with a key of their"
        f" own, which a {module or 'non-embedded'} store cannot keep: make one (`python -m hub.audit.signing_key`),"
        f" keep it as a secret apart from the database, its backups and HUB_MASTER_KEY, and set {FILE_ENV}"
        " to its path. Publish its public half (`hub audit public-key`) to the auditors."
    )


def default_key_path(env: Mapping[str, str]) -> Path:
    config = env.get("XDG_CONFIG_HOME") or os.path.join(Path.home(), ".config")
    return Path(config) / "referral-hub" / FILE_NAME


def _sqlite_directory(env: Mapping[str, str]) -> Path | None:
    """The directory of the embedded store's file; None for an in-memory store or another store."""
    if (env.get("PERSISTENCE_MODULE") or "") != "eventsourcing.sqlite":
        return None
    db_name = env.get("SQLITE_DBNAME") or ""
    if ":memory:" in db_name or "mode=memory" in db_name:
        return None
    return Path(db_name.removeprefix("file:").split("?")[0]).parent


def _outside(path: Path, data_dir: Path | None, what: str) -> Path:
    if data_dir is not None and path.resolve().is_relative_to(data_dir.resolve()):
        raise CheckpointKeyError(
            f"{what} ({path}) is inside {data_dir}, where the store keeps its data: a key kept with the data"
            " vouches for nothing. Keep it elsewhere (see docs/decisions/0021)."
        )
    return path


if __name__ == "__main__":
    print(new_checkpoint_key())
