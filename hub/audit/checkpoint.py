"""A signed checkpoint: the head of the log at one position, as the database keeps it and as it is
published outside it (docs/decisions/0021).

The signature covers the position, the chain's link there, the Merkle tree's size and root there,
and the moment of signing. Published as one JSON object per line (the file) or per message (the
Kafka topic), in exactly the form ``hub audit verify --trusted-head`` reads back.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

MESSAGE_TYPE = "hub_checkpoint"
_MESSAGE = b"hub checkpoint v2\x00"
_NUMBERS = struct.Struct(">QQq")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class MalformedCheckpoint(ValueError):
    """A published checkpoint that cannot be read: not JSON, or a field missing or of the wrong form."""


@dataclass(frozen=True)
class Head:
    """What a checkpoint signs."""

    position: int
    link: bytes
    tree_size: int
    root: bytes
    signed_at: datetime

    def message(self) -> bytes:
        microseconds = (self.signed_at - _EPOCH) // timedelta(microseconds=1)
        return _MESSAGE + _NUMBERS.pack(self.position, self.tree_size, microseconds) + self.link + self.root


@dataclass(frozen=True)
class Checkpoint(Head):
    signature: bytes
    key_id: str

    def as_json(self) -> dict[str, Any]:
        return {
            "type": MESSAGE_TYPE,
            "position": self.position,
            "link": self.link.hex(),
            "tree_size": self.tree_size,
            "root": self.root.hex(),
            "signed_at": self.signed_at.isoformat(),
            "key_id": self.key_id,
            "signature": self.signature.hex(),
        }

    def line(self) -> bytes:
        return json.dumps(self.as_json(), separators=(",", ":"), sort_keys=True).encode()

    @classmethod
    def from_json(cls, value: Any) -> Checkpoint:
        try:
            if value.get("type") != MESSAGE_TYPE:
                raise MalformedCheckpoint(f"not a {MESSAGE_TYPE}: type {value.get('type')!r}")
            signed_at = datetime.fromisoformat(value["signed_at"])
            if signed_at.tzinfo is None:
                raise MalformedCheckpoint("signed_at has no time zone")
            return cls(
                position=int(value["position"]),
                link=bytes.fromhex(value["link"]),
                tree_size=int(value["tree_size"]),
                root=bytes.fromhex(value["root"]),
                signed_at=signed_at,
                signature=bytes.fromhex(value["signature"]),
                key_id=str(value["key_id"]),
            )
        except MalformedCheckpoint:
            raise
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise MalformedCheckpoint(f"{type(error).__name__}: {error}") from None

    @classmethod
    def from_line(cls, line: bytes | str) -> Checkpoint:
        try:
            value = json.loads(line)
        except ValueError as error:
            raise MalformedCheckpoint(f"not JSON: {error}") from None
        return cls.from_json(value)
