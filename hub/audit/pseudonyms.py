"""Pseudonyms for auditors: a personal value becomes a keyed hash, stable within one child's file.

An auditor comparing two moments of a file sees that a name changed, or that two fields hold the
same value, without seeing the value. Scoped to the child, so the same name in two files does not
link them, and a value with few possibilities (sex, say) cannot be read off counts across files.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from uuid import UUID

PREFIX = "ps:"


def pseudonym(key: bytes, child_id: UUID, path: str, value: Any) -> str:
    message = f"{child_id}\x1f{path}\x1f{json.dumps(value, sort_keys=True, default=str)}".encode()
    return PREFIX + hmac.new(key, message, hashlib.sha256).hexdigest()[:12]
