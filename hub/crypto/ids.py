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
        # copied for each id, as hub/matching/index.py does: the key is not set up again for each (a Kafka
        # message derives three: its receipt, its referral, a notice; issue #13)
        self._mac = hmac.new(key, digestmod=hashlib.sha256)

    def of(self, kind: str, *parts: object) -> UUID:
        """The id of the ``kind`` of record named by ``parts``: the same every time, unknowable without the key."""
        mac = self._mac.copy()
        mac.update(_SEPARATOR.join([kind, *(str(part) for part in parts)]).encode())
        return UUID(bytes=mac.digest()[:16], version=4)
