"""One data key per child, kept wrapped by the master key; and which aggregate is whose.

A child's key is 256 random bits, minted when the child's record is first
saved and stored in the same transaction as its events (so a new child costs no
transaction of its own, and a refused save leaves no key behind). It is stored wrapped (AES-GCM under the master key, with the
child's id as associated data, so a wrapped key cannot be swapped onto another
child). Shredding empties the stored key: every event sealed with it then reads
as :data:`hub.crypto.erased.ERASED` in its personal attributes, in every copy
and replica of the event store, and no new key is minted for that child.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hub import clock
from hub.crypto.master_key import MasterKeyError
from hub.crypto.recent import Recent
from hub.crypto.tables import HubTables, KeyRow
from hub.errors import HubError

_WRAP_VERSION = b"\x01"
_WRAP_CONTEXT = b"hub child data key\x00"
_NONCE = 12
CACHED = 100_000  # children whose keys are kept unwrapped in memory


class ChildErased(HubError):
    """Nothing personal may be written about a child whose key was shredded."""

    problem_type = "child-erased"
    title = "Child erased"
    status = 410

    def __init__(self, child_id: UUID) -> None:
        super().__init__(f"the personal data of child {child_id} was erased", child_id=str(child_id))
        self.child_id = child_id


class MissingChildKey(RuntimeError):
    """Events name a child that has neither a key nor a tombstone: the key table was not kept with them."""


class ChildKeyStore:
    def __init__(self, tables: HubTables, master_key: bytes) -> None:
        self._tables = tables
        self._master = AESGCM(master_key)
        self._master_id = hashlib.sha256(b"hub master key id\x00" + master_key).digest()[:8]
        self._keys: Recent[UUID, bytes] = Recent(CACHED)
        self._shredded: set[UUID] = set()  # shredding cannot be undone, so this never goes stale
        # Keys minted for children being saved now, wrapped, until their transaction stores them.
        self._minted: Recent[UUID, bytes] = Recent(CACHED)

    def mint(self, child_id: UUID) -> None:
        """A key for a child whose first events are about to be saved; stored by :meth:`store_minted`."""
        if self._keys.get(child_id) is None and child_id not in self._shredded:
            key = AESGCM.generate_key(bit_length=256)
            self._minted.put(child_id, self._wrap(child_id, key))
            self._keys.put(child_id, key)

    def store_minted(self, cursor: Any, child_ids: set[UUID]) -> None:
        """Inserts the minted keys of these children on the cursor of the transaction that saves their events.

        A plain insert: should a key exist already, the transaction fails rather than store events
        sealed with a key that is not the stored one.
        """
        rows = [(child_id, wrapped) for child_id in child_ids if (wrapped := self._minted.get(child_id)) is not None]
        if rows:
            self._tables.insert_keys(cursor, rows, clock.now())

    def settle(self, child_ids: set[UUID]) -> None:
        """The transaction that stored these children's minted keys committed."""
        for child_id in child_ids:
            self._minted.pop(child_id)

    def key_for(self, child_id: UUID, create: bool = False) -> bytes | None:
        """The child's data key; None if it has none (or it was shredded) and ``create`` is false.

        With ``create``, two processes creating the first key at once converge on
        whichever insert lands first. A shredded child raises :class:`ChildErased`.
        """
        key = self._keys.get(child_id) or self._load(child_id)
        if key is None and create and child_id not in self._shredded:
            self._tables.insert_key(child_id, self._wrap(child_id, AESGCM.generate_key(bit_length=256)), clock.now())
            key = self._load(child_id)
        if key is None and create:
            raise ChildErased(child_id)
        return key

    def is_shredded(self, child_id: UUID) -> bool:
        if child_id not in self._shredded and self._keys.get(child_id) is None:
            self._load(child_id)
        return child_id in self._shredded

    def shred(self, child_id: UUID) -> bool:
        """Destroys the child's key; True if there was one. Idempotent.

        Another process that already holds the key in its cache keeps it until
        it restarts; the erasure procedure must account for that.
        """
        shredded = self._tables.shred_key(child_id, clock.now())
        self._keys.pop(child_id)
        self._shredded.add(child_id)
        return shredded

    def shredded(self) -> set[UUID]:
        """Every child whose key is gone, as the table says now (other processes may have shredded some)."""
        self._shredded |= set(self._tables.select_shredded())
        return set(self._shredded)

    def forget(self, child_id: UUID) -> None:
        """Drops a cached key: another process is erasing this child (its erasure is in the log)."""
        self._keys.pop(child_id)

    def preload(self, child_ids: Iterable[UUID]) -> None:
        """The keys of these children not in memory yet, read together: a catch-up meets hundreds of children
        a batch, and reading each child's key alone was a statement (on PostgreSQL a round trip) per child."""
        missing = [c for c in child_ids if c not in self._shredded and self._keys.get(c) is None]
        for child_id, row in self._tables.select_keys(missing).items():
            self._take(child_id, row)

    def _load(self, child_id: UUID) -> bytes | None:
        if child_id in self._shredded:
            return None
        row = self._tables.select_key(child_id)
        return None if row is None else self._take(child_id, row)

    def _take(self, child_id: UUID, row: KeyRow) -> bytes | None:
        """The key of a row read from the table, unwrapped and kept; None (and the child known erased) for a tombstone."""
        if row.wrapped_key is None:
            self._shredded.add(child_id)
            return None
        key = self._unwrap(child_id, row.wrapped_key)
        self._keys.put(child_id, key)
        return key

    def _wrap(self, child_id: UUID, key: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return _WRAP_VERSION + self._master_id + nonce + self._master.encrypt(nonce, key, _WRAP_CONTEXT + child_id.bytes)

    def _unwrap(self, child_id: UUID, wrapped: bytes) -> bytes:
        version, master_id = wrapped[:1], wrapped[1:9]
        nonce, sealed = wrapped[9 : 9 + _NONCE], wrapped[9 + _NONCE :]
        if version != _WRAP_VERSION or master_id != self._master_id:
            raise MasterKeyError(
                "the children's keys in this database were wrapped by another master key:"
                " HUB_MASTER_KEY (or master.key) is not the one this database was created with"
            )
        try:
            return self._master.decrypt(nonce, sealed, _WRAP_CONTEXT + child_id.bytes)
        except InvalidTag:
            raise MasterKeyError(f"the stored key of child {child_id} fails authentication: it was altered") from None
