"""Keys derived from the master key for one purpose each, so that no purpose can stand in for another."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def derived_key(master_key: bytes, purpose: str) -> bytes:
    """32 bytes for ``purpose`` (HKDF-SHA256); the same master key and purpose always give the same key."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"hub derived key\x00" + purpose.encode()).derive(
        master_key
    )
