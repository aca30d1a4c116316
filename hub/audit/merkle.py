"""An RFC 6962 Merkle tree over the chain's entries (docs/decisions/0021).

A checkpoint signs the tree's root beside the chain's link. The link proves the
whole log to whoever has the whole log; the root lets an oversight body check
that one event is in a signed log with about log2(n) hashes (an inclusion proof)
and no access to the database.

The leaves are the chain's entries in position order, each the position and the
digest of the stored event (hub/audit/chain.py), so a proof binds the event to its
place. Leaf and node hashes are RFC 6962's (section 2.1): SHA-256 with a 0x00
prefix for leaves and 0x01 for nodes, so any RFC 6962 verifier agrees.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence

HASH_BYTES = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
_SIZE = struct.Struct(">Q")


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def entry_leaf(position: int, digest: bytes) -> bytes:
    """The leaf of the chain entry at ``position``."""
    return leaf_hash(_SIZE.pack(position) + digest)


class Frontier:
    """The roots of the perfect subtrees a tree of ``size`` leaves is made of, largest first: enough
    to append leaves and to compute the root without keeping the leaves (at most 64 hashes)."""

    def __init__(self, size: int = 0, peaks: Sequence[bytes] = ()) -> None:
        if len(peaks) != bin(size).count("1"):
            raise ValueError(f"a tree of {size} leaves has {bin(size).count('1')} peaks, not {len(peaks)}")
        self.size = size
        self.peaks = list(peaks)

    def append(self, leaf: bytes) -> None:
        self.peaks.append(leaf)
        self.size += 1
        merged = self.size
        while merged % 2 == 0:  # two subtrees of one height make one of the next
            right = self.peaks.pop()
            self.peaks.append(node_hash(self.peaks.pop(), right))
            merged //= 2

    def root(self) -> bytes:
        """RFC 6962's MTH: the right-hand peaks fold into the left ones, as its split at the largest power of 2 does."""
        if not self.peaks:
            return EMPTY_ROOT
        root = self.peaks[-1]
        for peak in reversed(self.peaks[:-1]):
            root = node_hash(peak, root)
        return root

    def to_bytes(self) -> bytes:
        return _SIZE.pack(self.size) + b"".join(self.peaks)

    @classmethod
    def from_bytes(cls, data: bytes) -> Frontier:
        (size,) = _SIZE.unpack_from(data)
        body = data[_SIZE.size:]
        return cls(size, [body[i:i + HASH_BYTES] for i in range(0, len(body), HASH_BYTES)])


def root_of(leaves: Sequence[bytes]) -> bytes:
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """RFC 6962's PATH(index, leaves): the sibling hashes from the leaf up to the root."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of {len(leaves)} leaves")
    if len(leaves) == 1:
        return []
    split = 1 << ((len(leaves) - 1).bit_length() - 1)  # the largest power of 2 below the size
    if index < split:
        return [*inclusion_proof(index, leaves[:split]), root_of(leaves[split:])]
    return [*inclusion_proof(index - split, leaves[split:]), root_of(leaves[:split])]


def verifies_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """Whether ``proof`` shows ``leaf`` at ``index`` of the tree of ``size`` leaves whose root is ``root``.

    RFC 9162 section 2.1.3.2, written apart from :func:`inclusion_proof` so that one does not vouch for
    the other: an oversight body can run this (or any RFC 6962 library) on a proof alone.
    """
    if not 0 <= index < size:
        return False
    fn, sn, computed = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            computed = node_hash(sibling, computed)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            computed = node_hash(computed, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and computed == root
