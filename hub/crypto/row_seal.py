"""Seals a projection row's personal content with its child's key, like the events it came from.

A view row is derived data, but it holds the same names and concerns as the
events; kept in clear it would outlive a crypto-shredding erasure. Sealed, it
reads as erased once the child's key is gone.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hub.crypto.keys import ChildKeyStore

Seal = Callable[[str, str], str]  # (associated data, plaintext) -> the sealed text
_PREFIX = "hv1:"
_CLEAR = "hv0:"  # a row with nothing personal left in it (an erased child's residue)
_NONCE = 12


class RowSealer:
    def __init__(self, keys: ChildKeyStore) -> None:
        self._keys = keys

    def seal(self, child_id: UUID, associated: str, plaintext: str) -> str:
        return self.sealing(child_id)(associated, plaintext)

    def sealing(self, child_id: UUID) -> Seal:
        """``seal`` for one child's rows: its key looked up and its cipher made once for all of them."""
        key = self._keys.key_for(child_id, create=True)
        assert key is not None  # create=True either returns a key or raises ChildErased
        cipher = AESGCM(key)

        def seal(associated: str, plaintext: str) -> str:
            nonce = os.urandom(_NONCE)
            return _PREFIX + base64.b64encode(nonce + cipher.encrypt(nonce, plaintext.encode(), associated.encode())).decode()

        return seal

    def clear(self, plaintext: str) -> str:
        return _CLEAR + plaintext

    def open(self, child_id: UUID, associated: str, stored: str) -> str | None:
        """The plaintext, or None where the child's key was shredded."""
        if stored.startswith(_CLEAR):
            return stored.removeprefix(_CLEAR)
        key = self._keys.key_for(child_id)
        if key is None:
            return None
        raw = base64.b64decode(stored.removeprefix(_PREFIX))
        return AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], associated.encode()).decode()
