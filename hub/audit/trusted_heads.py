"""Heads held outside the database, read back for ``hub audit verify --trusted-head``: the JSON lines the
publisher wrote (hub/audit/file_sink.py), however the operator shipped them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hub.audit.checkpoint import Checkpoint, MalformedCheckpoint


def read_heads(lines: Iterable[bytes | str], source: str, item: str = "line") -> list[Checkpoint]:
    """Every head in ``lines``; a line that is not one is an error naming it (a copy to repair, not to guess at)."""
    heads: list[Checkpoint] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            heads.append(Checkpoint.from_line(line))
        except MalformedCheckpoint as error:
            raise MalformedCheckpoint(f"{source}, {item} {number}: {error}") from None
    return heads


def read_head_file(path: str | Path) -> list[Checkpoint]:
    with open(path, "rb") as file:
        return read_heads(file, str(path))
