"""What an agency's system signs to send a message over Kafka, and the check of its signature (docs/decisions/0027).

The signed bytes are, one per line (UTF-8, joined by a line feed, no line feed
at the end): the format's name, the adapter's name (the topic's last part: a
message signed for one topic is refused on another), the message id, the
headers ``agency``, ``role``, ``user`` and ``key-id`` as sent, and the SHA-256
of the message's value in lower-case hex. None of the fields may hold a line
feed, so no two messages sign the same bytes. adapters/README.md shows an
agency how to sign.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

FORMAT = "referral-hub-message-v1"
SIGNATURE_BYTES = 64  # Ed25519


def signed_bytes(adapter: str, message_id: str, agency: str, role: str, user: str, key_id: str, value: bytes) -> bytes | None:
    """The bytes the sender signs; None where a field holds a line feed (such a message is never authentic)."""
    fields = [FORMAT, adapter, message_id, agency, role, user, key_id, hashlib.sha256(value).hexdigest()]
    if any("\n" in field for field in fields):
        return None
    return "\n".join(fields).encode()


def signature_of(header: str) -> bytes | None:
    """The signature in the ``signature`` header (standard base64); None if it cannot be one."""
    try:
        signature = base64.b64decode(header.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return signature if len(signature) == SIGNATURE_BYTES else None
