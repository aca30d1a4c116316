"""A file's bytes sealed with its child's key, like every personal field (decision 0008): shredding the
key makes every stored copy of them unreadable."""

from __future__ import annotations

import hashlib
import os
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hub.crypto.keys import ChildErased, ChildKeyStore

_PREFIX = b"hb1"
_CONTEXT = b"hub attachment\x00"
_NONCE = 12


class FileSealer:
    def __init__(self, keys: ChildKeyStore) -> None:
        self._keys = keys

    def seal(self, child_id: UUID, attachment_id: UUID, data: bytes) -> bytes:
        """The sealed bytes; bound to the child and the attachment, so they cannot be served as another's."""
        key = self._keys.key_for(child_id, create=True)
        assert key is not None  # create=True either returns a key or raises ChildErased
        nonce = os.urandom(_NONCE)
        return _PREFIX + nonce + AESGCM(key).encrypt(nonce, data, _associated(child_id, attachment_id))

    def open(self, child_id: UUID, attachment_id: UUID, sealed: bytes) -> bytes:
        key = self._keys.key_for(child_id)
        if key is None:
            raise ChildErased(child_id)
        body = sealed[len(_PREFIX):]
        return AESGCM(key).decrypt(body[:_NONCE], body[_NONCE:], _associated(child_id, attachment_id))


def digest(sealed: bytes) -> str:
    """What the attachment's event records of the stored bytes: checked on every download."""
    return hashlib.sha256(sealed).hexdigest()


def _associated(child_id: UUID, attachment_id: UUID) -> bytes:
    return _CONTEXT + child_id.bytes + attachment_id.bytes
