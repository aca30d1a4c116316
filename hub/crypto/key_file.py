"""A secret kept in a file of its own, made on first use: readable by its owner only, never replaced."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)


def key_file(path: Path, generate: Callable[[], str]) -> str:
    """The file's text, creating it first with ``generate()`` if need be; two processes starting at once agree."""
    if not path.exists():
        _create(path, generate())
    if path.stat().st_mode & 0o077:
        log.warning("%s is readable by other users than its owner: chmod 600 it", path)
    return path.read_text()


def _create(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        os.write(fd, (text + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(draft, path)  # atomic, and never replaces a key another process wrote first
    except FileExistsError:
        pass
    finally:
        os.unlink(draft)
