"""The hash chain over the stored events (docs/decisions/0013).

Each stored event has a *digest* of exactly the bytes kept for it (originator
id, version, topic and the sealed state), and a *link* that hashes the previous
link, the event's position in the log and its digest. Digest and link are kept
apart so that verification can tell an edited event (its digest matches no
entry) from a moved one (its digest is another position's). Hashing the stored
bytes, not the decrypted event, means verification needs no key and a shredded
child's events still verify.
"""

from __future__ import annotations

import hashlib
import struct
from uuid import UUID

GENESIS = bytes(32)  # the link before the first event
_DIGEST = b"hub event v1\x00"
_LINK = b"hub link v1\x00"
_POSITION = struct.Struct(">Q")


def content_digest(originator_id: UUID | str, originator_version: int, topic: str, state: bytes) -> bytes:
    ident = originator_id.bytes if isinstance(originator_id, UUID) else str(originator_id).encode()
    encoded_topic = topic.encode()
    # One buffer hashed at once, the same bytes as fed piece by piece before: verification computes
    # this for every stored event, and the four updates took a third longer (4.2 against 3.2 µs).
    return hashlib.sha256(b"".join((
        _DIGEST, _POSITION.pack(len(ident)), ident, _POSITION.pack(originator_version),
        _POSITION.pack(len(encoded_topic)), encoded_topic, state,
    ))).digest()


def next_link(previous: bytes, position: int, digest: bytes) -> bytes:
    return hashlib.sha256(_LINK + previous + _POSITION.pack(position) + digest).digest()
