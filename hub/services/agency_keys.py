"""Agencies' signing keys: the hub's operators register an agency's Ed25519 public keys, and every Kafka
message of the agency is checked against them (docs/decisions/0027).

The keys of an agency are kept per process, like tokens: each check asks the
store one question (has the agency's key stream changed since?), so a key
revoked by any process is refused from the next message on.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hub.actor import Actor
from hub.aggregates.agency_keys import AgencyKeys, KeyState, agency_keys_id
from hub.errors import InvalidInput, NotFound
from hub.services.aggregates import Aggregates
from hub.services.conflicts import retry_on_conflict
from hub.services.directory import Agency, DirectoryService

KEY_ID_HEX = 16  # 64 bits of the key's hash: names a key, and two of one agency's keys never share it by chance


@dataclass(frozen=True)
class KeySummary:
    agency: str
    key_id: str
    public_key: str  # PEM: public, shown so that an operator can compare it with the agency's copy
    state: KeyState
    added_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class _Held:
    keys: AgencyKeys  # as read from the store; never changed in place, so shared by every thread
    agency: Agency


def key_id_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:KEY_ID_HEX]


def raw_public_key(pem: bytes) -> bytes:
    """The 32 bytes of an Ed25519 public key given as PEM (what `openssl pkey -pubout` and `cryptography` write)."""
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise InvalidInput("public_key", "this is not a public key in PEM (-----BEGIN PUBLIC KEY-----)") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInput("public_key", "an Ed25519 public key is needed, not %(key_type)s",
                           values={"key_type": type(key).__name__.removeprefix("_")})
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@lru_cache(maxsize=1024)
def _public_key(raw: str) -> Ed25519PublicKey:
    """The key object of a registered key (base64 of its 32 bytes): made once, then used for every message it
    signed. Only the object is kept; every message's signature is still verified."""
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(raw))


def _pem(raw: str) -> str:
    return _public_key(raw).public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


class AgencyKeyService:
    def __init__(self, aggregates: Aggregates, directory: DirectoryService) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self._held: dict[str, _Held] = {}  # by agency code; bounded by the agencies registered

    @retry_on_conflict
    def add_key(self, actor: Actor, agency: str, pem: bytes) -> KeySummary:
        self.directory.agency(agency, field="agency")
        raw = raw_public_key(pem)
        keys = self._keys(agency) or AgencyKeys(id=agency_keys_id(agency), actor=actor, agency=agency)
        key_id = key_id_of(raw)
        keys.add(actor, key_id, base64.b64encode(raw).decode())
        self.aggregates.save(keys)
        return _summary(keys, key_id)

    @retry_on_conflict
    def revoke_key(self, actor: Actor, agency: str, key_id: str, reason: str) -> KeySummary:
        if not reason.strip():
            raise InvalidInput("reason", "say why the key is revoked (rotated, a system retired, a key exposed)")
        self.directory.agency(agency, field="agency")
        keys = self._keys(agency)
        if keys is None:
            raise NotFound(f"{agency} has no key {key_id}")
        keys.revoke(actor, key_id, reason.strip())
        self.aggregates.save(keys)
        return _summary(keys, key_id)

    def keys(self, agency: str) -> list[KeySummary]:
        self.directory.agency(agency, field="agency")
        keys = self._keys(agency)
        return [_summary(keys, key_id) for key_id in keys.keys] if keys is not None else []

    def verify(self, agency: str, key_id: str, signature: bytes, signed: bytes) -> Agency | None:
        """The agency, if ``signature`` is its active key ``key_id``'s over ``signed``; else None."""
        held = self._current(agency)
        public = held.keys.active_key(key_id) if held is not None else None
        if held is None or public is None:
            return None
        try:
            _public_key(public).verify(signature, signed)
        except InvalidSignature:
            return None
        return held.agency

    def _keys(self, agency: str) -> AgencyKeys | None:
        found = self.aggregates.find(agency_keys_id(agency))
        return found if isinstance(found, AgencyKeys) else None

    def _current(self, agency: str) -> _Held | None:
        held = self._held.get(agency)
        if held is not None and not self.aggregates.changed_since(held.keys.id, held.keys.version):
            return held
        keys, registered = self._keys(agency), self.directory.find_agency(agency)
        if keys is None or registered is None:
            return None
        self._held[agency] = _Held(keys, registered)
        return self._held[agency]


def _summary(keys: AgencyKeys, key_id: str) -> KeySummary:
    key = keys.keys[key_id]
    return KeySummary(keys.agency, key_id, _pem(key["public_key"]), key["state"], key["added_at"], key["revoked_at"])
