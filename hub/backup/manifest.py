"""What a backup says about itself, so that a restore can tell what it holds and check it arrived whole."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hub.errors import HubError

FILE_NAME = "manifest.json"
FORMAT = 1


class BackupError(HubError):
    """A backup or restore that cannot go on; the message says why and what to do. The CLI exits 2 on it,
    as on every command that cannot run as asked; 1 stays for failures found (a restore that does not verify)."""

    title = "Backup refused"
    status = 409


@dataclass(frozen=True)
class Manifest:
    store: str  # "sqlite" | "postgres"
    data_file: str  # the file beside the manifest holding the data
    taken_at: str  # ISO 8601, UTC
    hub_version: str
    # The log's head, signed when the copy began: the copy holds at least this much (events recorded
    # while it ran may be in it too), and a restore whose chain does not pass through it is not the
    # backup that was taken (``hub audit verify`` with it as a trusted head).
    head: dict[str, Any]
    schema: str | None = None  # PostgreSQL: the schema the data lives in
    format: int = FORMAT

    def write(self, directory: Path) -> None:
        (directory / FILE_NAME).write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        path = directory / FILE_NAME
        if not path.is_file():
            raise BackupError(f"{directory} holds no {FILE_NAME}: it is not a backup made by `hub backup`")
        fields = json.loads(path.read_text(encoding="utf-8"))
        if fields.get("format") != FORMAT:
            raise BackupError(f"{path} is a backup of format {fields.get('format')}; this hub reads format {FORMAT}")
        return cls(**fields)
