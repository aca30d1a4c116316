"""What a file must be to be accepted, and what checks it (decision 0047): ``HUB_ATTACHMENT_*``."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass

MAX_BYTES = "HUB_ATTACHMENT_MAX_BYTES"
TYPES = "HUB_ATTACHMENT_TYPES"
SCAN_COMMAND = "HUB_ATTACHMENT_SCAN_COMMAND"
SCAN_TIMEOUT = "HUB_ATTACHMENT_SCAN_TIMEOUT_S"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # a phone's photo or a scanned report of several pages
DEFAULT_TYPES = "application/pdf,image/jpeg,image/png,image/tiff,image/webp,image/heic"
DEFAULT_SCAN_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class AttachmentSettings:
    max_bytes: int = DEFAULT_MAX_BYTES
    types: frozenset[str] = frozenset(DEFAULT_TYPES.split(","))
    scan_command: tuple[str, ...] = ()  # none: files are accepted unscanned
    scan_timeout_s: float = DEFAULT_SCAN_TIMEOUT_S

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> AttachmentSettings:
        size = env.get(MAX_BYTES) or str(DEFAULT_MAX_BYTES)
        if not size.isdigit() or int(size) == 0:
            raise ValueError(f"{MAX_BYTES} must be a whole number of bytes above 0, not {size!r}")
        types = frozenset(t.strip().lower() for t in (env.get(TYPES) or DEFAULT_TYPES).split(",") if t.strip())
        return cls(
            max_bytes=int(size),
            types=types,
            scan_command=tuple(shlex.split(env.get(SCAN_COMMAND) or "")),
            scan_timeout_s=float(env.get(SCAN_TIMEOUT) or DEFAULT_SCAN_TIMEOUT_S),
        )
