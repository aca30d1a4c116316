"""Ids that must come out the same for the same natural key, and that no caller can work out.

Idempotency needs an id fixed by what a request says (a referrer's Idempotency-Key,
a message id, a child and a purpose): the store then refuses a second record
under it. Derived with a constant namespace, anyone who knows the key could
compute the id, and try it on another body's records. Here the id is keyed by a
secret derived from the master key: rotating the master key rotates it (a repeat
sent across a rotation is then a new request). Token ids stay a hash of the
secret: only its holder can compute one.
"""

from __future__ import annotations

import hashlib
import hmac
from uuid import UUID

_SEPARATOR = "\x1f"


class RecordIds:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def of(self, kind: str, *parts: object) -> UUID:
        """The id of the ``kind`` of record named by ``parts``: the same every time, unknowable without the key."""
        message = _SEPARATOR.join([kind, *(str(part) for part in parts)]).encode()
        return UUID(bytes=hmac.new(self._key, message, hashlib.sha256).digest()[:16], version=4)
