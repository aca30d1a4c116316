"""The master key, which wraps every child's data key.

``HUB_MASTER_KEY`` (the urlsafe base64 of 32 random bytes) always wins. Without
it, the embedded SQLite store keeps a generated key in ``master.key`` beside its
database file (mode 0600), so ``scripts/start`` needs no set-up; an in-memory
store gets a key that lives as long as the process, like its data. A PostgreSQL
store refuses to start without ``HUB_MASTER_KEY``: a key in the database would
protect nothing, and the server has no file of its own to keep it in.

``python -m hub.crypto.master_key`` prints a new key.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Mapping
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hub.crypto.key_file import key_file

ENV = "HUB_MASTER_KEY"
FILE_NAME = "master.key"
KEY_BYTES = 32


class MasterKeyError(RuntimeError):
    """The master key is missing, malformed or not the one the data keys were wrapped with."""


def new_master_key() -> str:
    return base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=8 * KEY_BYTES)).decode()


def parse_master_key(text: str, source: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise MasterKeyError(
            f"{source} is not a master key: expected the urlsafe base64 of {KEY_BYTES} bytes"
            " (generate one with `python -m hub.crypto.master_key`)"
        )
    return key


def load_master_key(env: Mapping[str, str]) -> bytes:
    """The master key for the store that ``env`` configures (see the module docstring)."""
    configured = env.get(ENV)
    if configured:
        return parse_master_key(configured, ENV)
    module = env.get("PERSISTENCE_MODULE") or ""
    if module == "eventsourcing.sqlite":
        db_name = env.get("SQLITE_DBNAME") or ""
        if ":memory:" in db_name or "mode=memory" in db_name:
            return secrets.token_bytes(KEY_BYTES)
        return embedded_master_key(Path(db_name.removeprefix("file:").split("?")[0]).parent / FILE_NAME)
    raise MasterKeyError(
        f"{ENV} is not set. Personal data is encrypted with keys wrapped by a master key, and a"
        f" {module or 'non-embedded'} store keeps no key file: set {ENV} to the urlsafe base64 of"
        f" {KEY_BYTES} random bytes (`python -m hub.crypto.master_key` prints one) and keep it"
        " apart from the database and its backups."
    )


def embedded_master_key(path: Path) -> bytes:
    """Reads the key file, creating it first if need be."""
    return parse_master_key(key_file(path, new_master_key), str(path))


if __name__ == "__main__":
    print(new_master_key())
