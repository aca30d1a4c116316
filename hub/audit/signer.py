"""Signed checkpoints: an Ed25519 signature over a position of the chain and its link.

A chain alone proves only that the rows agree with each other: someone who can
write the database could rebuild every link after an edit. A signature made
with a key the database does not hold cannot be rebuilt that way. The key is
``HUB_CHECKPOINT_KEY`` (the urlsafe base64 of a 32-byte Ed25519 seed) or, by
default, one derived from the master key. The public key (``hub audit
public-key``) lets an outside auditor verify with no secret at all.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hub.crypto.derived import derived_key

ENV = "HUB_CHECKPOINT_KEY"
_MESSAGE = b"hub checkpoint v1\x00"


def _message(position: int, link: bytes) -> bytes:
    return _MESSAGE + struct.pack(">Q", position) + link


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class CheckpointSigner:
    def __init__(self, env: Mapping[str, str], master_key: bytes) -> None:
        configured = env.get(ENV)
        seed = _parse_seed(configured) if configured else derived_key(master_key, "checkpoint signing")
        self._private = Ed25519PrivateKey.from_private_bytes(seed)
        self.public = CheckpointKey(self._private.public_key())

    def sign(self, position: int, link: bytes) -> bytes:
        return self._private.sign(_message(position, link))


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

    def verifies(self, position: int, link: bytes, signature: bytes) -> bool:
        try:
            self._public.verify(signature, _message(position, link))
        except InvalidSignature:
            return False
        return True


def _parse_seed(text: str) -> bytes:
    try:
        seed = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        seed = b""
    if len(seed) != 32:
        raise ValueError(f"{ENV} must be the urlsafe base64 of a 32-byte Ed25519 seed")
    return seed
