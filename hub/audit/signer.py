"""Signed checkpoints: an Ed25519 signature over the head of the log (hub/audit/checkpoint.py).

A chain alone proves only that the rows agree with each other: someone who can
write the database could rebuild every link after an edit. A signature made
with a key the database does not hold, and nothing beside the database can
derive, cannot be rebuilt that way: where the key comes from is
hub/audit/signing_key.py (docs/decisions/0021). The public key (``hub audit
public-key``) lets an outside auditor verify with no secret at all.
"""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hub.audit.checkpoint import Checkpoint, Head


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class CheckpointSigner:
    def __init__(self, seed: bytes) -> None:
        self._private = Ed25519PrivateKey.from_private_bytes(seed)
        self.public = CheckpointKey(self._private.public_key())

    def sign(self, head: Head) -> Checkpoint:
        return Checkpoint(
            position=head.position, link=head.link, tree_size=head.tree_size, root=head.root,
            signed_at=head.signed_at, signature=self._private.sign(head.message()), key_id=self.public.id,
        )


class CheckpointKey:
    """The public half: all that verification needs."""

    def __init__(self, public_key: Ed25519PublicKey) -> None:
        self._public = public_key
        self.id = key_id(public_key)

    @classmethod
    def from_pem(cls, pem: bytes) -> CheckpointKey:
        loaded = serialization.load_pem_public_key(pem)
        if not isinstance(loaded, Ed25519PublicKey):
            raise ValueError("the checkpoint key must be an Ed25519 public key")
        return cls(loaded)

    def pem(self) -> str:
        return self._public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    def verifies(self, checkpoint: Checkpoint) -> bool:
        if checkpoint.key_id != self.id:
            return False
        try:
            self._public.verify(checkpoint.signature, checkpoint.message())
        except InvalidSignature:
            return False
        return True
