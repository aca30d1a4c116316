"""A mapper that seals the personal attributes of every event about a child with that child's key.

Default-deny: every attribute of a child's event is personal, and sealed,
except those the privacy policy keeps in clear (hub/policy/privacy.yaml
``events``, under classes that are not personal: who acted, lifecycle states
and outcome codes, links between aggregates, which agencies are involved), so
the log stays readable after an erasure, and the event store's own. Free text
of every kind is therefore sealed, whatever its name. Events of aggregates
about no child (the agency directory, API tokens) are stored exactly as the
library's mapper stores them.

A sealed event is stored as::

    b"hc1" | child id (16) | nonce (12) | length (4) | sealed | clear

``sealed`` is AES-GCM, under the child's key, of the personal attributes;
``clear`` holds the attributes kept in clear and the names of the sealed ones.
The associated data binds the ciphertext to the child, the event's originator
id, version and topic, and to ``clear``, so neither part can be moved to
another event or edited. The library's compressor (if configured) compresses
both parts before encryption; its cipher (if configured) encrypts the whole
record, after which the record is read as before.

Once the child's key is shredded, the personal attributes decode as ERASED.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import CanSnapshotAggregate
from eventsourcing.persistence import (
    Cipher,
    Compressor,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
    find_id_convertor,
)
from eventsourcing.utils import get_topic, resolve_topic

from hub.aggregates.access_record import AccessRecord
from hub.aggregates.agency_directory import AgencyDirectory
from hub.aggregates.agency_keys import AgencyKeys
from hub.aggregates.allegation import Allegation
from hub.aggregates.api_token import ApiToken
from hub.aggregates.attachment import Attachment
from hub.aggregates.case_facets import CaseFacets
from hub.aggregates.child import Child
from hub.aggregates.consent import Consent
from hub.aggregates.erasure import Erasure
from hub.aggregates.family_link import FamilyLink
from hub.aggregates.involvement import Involvement
from hub.aggregates.monitoring_visit import MonitoringVisit
from hub.aggregates.referral import Referral
from hub.aggregates.retention_run import RetentionRun
from hub.aggregates.survivor_report import SurvivorReport
from hub.crypto.erased import ERASED
from hub.crypto.keys import ChildKeyStore, MissingChildKey
from hub.crypto.subjects import SubjectIndex
from hub.store import UNAVAILABLE

# What the event store needs to rebuild and order events; which attributes besides are kept in
# clear is the privacy policy's to say (privacy.yaml ``events``), and ``clear`` is given it.
LIBRARY = frozenset({"originator_id", "originator_version", "originator_topic", "timestamp", "class_version"})
# A snapshot's ``state`` is the whole aggregate: everything in it is personal.
SNAPSHOT_CLEAR = frozenset({"originator_id", "originator_version", "timestamp", "topic"})

# An erasure names children but holds nothing personal, and must read after their keys are gone;
# so does a retention run.
NOT_ABOUT_A_CHILD: tuple[type, ...] = (AgencyDirectory, AgencyKeys, ApiToken, Erasure, RetentionRun)
# An aggregate this module cannot import (adapters/ imports the hub) says so itself: ``about_no_child = True``.
ABOUT_NO_CHILD = "about_no_child"
# A read names the child whose records it read, but is not one of them: indexing every read would
# make each of the child's dossiers load them all.
NOT_ONE_OF_ITS_RECORDS: tuple[type, ...] = (AccessRecord,)
# Records about no one child whose own words may name children: sealed under a key of their own, as a child's
# events are under the child's (a monitoring visit's findings, decision 0040).
OWN_KEY: tuple[type, ...] = (Child, MonitoringVisit)
# Aggregates that always belong to a child: an event of theirs whose child is unknown is refused.
# (A case's facet events are classes of CaseFacets, the base that declares them.)
ABOUT_A_CHILD: tuple[type, ...] = (
    Referral, CaseFacets, Consent, Allegation, Attachment, SurvivorReport, FamilyLink, Involvement,
)

MAGIC = b"hc1"
_HEADER = len(MAGIC) + 16
_NONCE = 12
_LENGTH = struct.Struct(">I")


class UnknownSubject(RuntimeError):
    """An event of an aggregate that belongs to a child, but to no child the hub knows of."""


class ChildMapper(Mapper[UUID]):
    def __init__(
        self,
        transcoder: Transcoder,
        compressor: Compressor | None = None,
        cipher: Cipher | None = None,
        *,
        keys: ChildKeyStore,
        subjects: SubjectIndex,
        clear: frozenset[str],
    ) -> None:
        """``clear``: the attributes of a child's event kept in clear besides the event store's own."""
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self.keys = keys
        self.subjects = subjects
        self.clear = LIBRARY | clear

    # -- writing --

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        child_id = self.child_of(domain_event)
        if child_id is None:
            return super().to_stored_event(domain_event)
        topic = get_topic(type(domain_event))
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        kept_clear = SNAPSHOT_CLEAR if isinstance(domain_event, CanSnapshotAggregate) else self.clear
        personal = {name: state.pop(name) for name in list(state) if name not in kept_clear}
        if not personal:
            # Nothing to seal (a read of the child's records, say): stored as is, so it can
            # still be written once the child is erased.
            return super().to_stored_event(domain_event)
        key = self.keys.key_for(child_id, create=True)
        assert key is not None  # create=True returns a key or raises
        header = MAGIC + child_id.bytes
        clear = self._pack({"sealed": sorted(personal), "state": state})
        nonce = os.urandom(_NONCE)
        sealed = AESGCM(key).encrypt(
            nonce, self._pack(personal), _associated(header, originator_id, originator_version, topic, clear)
        )
        record = header + nonce + _LENGTH.pack(len(sealed)) + sealed + clear
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=topic,
            state=self.cipher.encrypt(record) if self.cipher else record,
        )

    def child_of(self, domain_event: Any) -> UUID | None:
        """The child the event is about (the key it is sealed with), or None for an event about no child."""
        snapshot = isinstance(domain_event, CanSnapshotAggregate)
        aggregate = resolve_topic(domain_event.topic) if snapshot else aggregate_of(type(domain_event))
        belonging = _belonging(aggregate)
        if belonging.own_key:
            return domain_event.originator_id
        if belonging.about_no_child:
            return None
        child_id = None if snapshot else vars(domain_event).get("child_id")
        if isinstance(child_id, UUID):
            if belonging.indexed:
                self.subjects.expect(domain_event.originator_id, child_id)
            return child_id
        child_id = self.subjects.child_of(domain_event.originator_id)
        if child_id is None and belonging.needs_child:
            raise UnknownSubject(f"{aggregate.__name__} {domain_event.originator_id} belongs to no known child")
        return child_id

    def index_subjects(self, cursor: Any, stored_events: Any) -> None:
        """The recorder's hook, in the transaction that stores the events: the keys minted for new
        children, and which child each stored non-child aggregate belongs to."""
        rows, children = [], set()
        for stored in stored_events:
            sealed_for = self.child_in(stored)
            if sealed_for is not None:
                children.add(sealed_for)
            # An event with nothing personal is stored unsealed, without the child in its header:
            # the child its aggregate was created for is still the one it belongs to.
            child_id = sealed_for or self.subjects.expected(stored.originator_id)
            if child_id is not None and child_id != stored.originator_id:
                rows.append((stored.originator_id, child_id))
        self.keys.store_minted(cursor, children)
        self.subjects.record(cursor, rows)

    def child_in(self, stored: StoredEvent) -> UUID | None:
        """The child a stored event is about, read from its header; None if it is not sealed."""
        header = self._header(stored)
        return None if header is None else UUID(bytes=header)

    def children_in(self, stored: Iterable[StoredEvent]) -> set[UUID]:
        """The children these stored events are about (``child_in``), each id made once however many events."""
        return {UUID(bytes=header) for header in {self._header(s) for s in stored} if header is not None}

    def _header(self, stored: StoredEvent) -> bytes | None:
        """The id (as bytes) of the child whose key seals the event, from its header; None if it is not sealed."""
        record = self.cipher.decrypt(stored.state) if self.cipher else stored.state
        return record[len(MAGIC) : _HEADER] if record.startswith(MAGIC) else None

    # -- reading --

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        try:
            record = self.cipher.decrypt(stored_event.state) if self.cipher else stored_event.state
            if record.startswith(MAGIC):
                event_state = self._open(stored_event, record)
            else:
                event_state = self._unpack(record)
        except UNAVAILABLE:
            raise  # the database did not give the child's key: a failure to retry, not an undecodable event
        except Exception as e:
            msg = (
                f"Failed to deserialise state of stored event with topic '{stored_event.topic}', "
                f"originator_id '{stored_event.originator_id}' and "
                f"originator_version {stored_event.originator_version}: {e!r}"
            )
            raise MapperDeserialisationError(msg) from e
        return _event(stored_event, event_state)

    def _open(self, stored: StoredEvent, record: bytes) -> dict[str, Any]:
        header, nonce = record[:_HEADER], record[_HEADER : _HEADER + _NONCE]
        (length,) = _LENGTH.unpack_from(record, _HEADER + _NONCE)
        start = _HEADER + _NONCE + _LENGTH.size
        sealed, clear = record[start : start + length], record[start + length :]
        child_id = UUID(bytes=header[len(MAGIC) :])
        envelope = self._unpack(clear)
        key = self.keys.key_for(child_id)
        if key is not None:
            associated = _associated(header, stored.originator_id, stored.originator_version, stored.topic, clear)
            personal = self._unpack(AESGCM(key).decrypt(nonce, sealed, associated))
        elif self.keys.is_shredded(child_id):
            personal = dict.fromkeys(envelope["sealed"], ERASED)
        else:
            raise MissingChildKey(f"no key and no tombstone for child {child_id}")
        if stored.originator_id != child_id:
            self.subjects.learn(stored.originator_id, child_id)  # type: ignore[arg-type]
        return {**envelope["state"], **personal}

    def _pack(self, obj: dict[str, Any]) -> bytes:
        data = self.transcoder.encode(obj)
        return self.compressor.compress(data) if self.compressor else data

    def _unpack(self, data: bytes) -> dict[str, Any]:
        return self.transcoder.decode(self.compressor.decompress(data) if self.compressor else data)


@dataclass(frozen=True)
class _Belonging:
    """What an aggregate's class says of the child its events belong to (see the tuples above)."""

    own_key: bool
    about_no_child: bool
    indexed: bool  # its records are indexed under their child: not NOT_ONE_OF_ITS_RECORDS
    needs_child: bool


# Decided once per class: the aggregates are abstract base classes, and the subclass checks against the tuples
# above were a fifth of sealing an event, five or more a command.
_BELONGINGS: dict[type, _Belonging] = {}


def _belonging(aggregate: type) -> _Belonging:
    known = _BELONGINGS.get(aggregate)
    if known is None:
        known = _BELONGINGS[aggregate] = _Belonging(
            own_key=issubclass(aggregate, OWN_KEY),
            about_no_child=issubclass(aggregate, NOT_ABOUT_A_CHILD) or bool(getattr(aggregate, ABOUT_NO_CHILD, False)),
            indexed=not issubclass(aggregate, NOT_ONE_OF_ITS_RECORDS),
            needs_child=issubclass(aggregate, ABOUT_A_CHILD),
        )
    return known


def _associated(header: bytes, originator_id: Any, originator_version: int, topic: str, clear: bytes) -> bytes:
    position = f"{originator_id}\x00{originator_version}\x00{topic}\x00".encode()
    return header + position + clear


_AGGREGATES: dict[type, type] = {}


def aggregate_of(event_class: type) -> type:
    """``Referral.Acknowledged`` -> ``Referral``: the library nests event classes in their aggregate."""
    known = _AGGREGATES.get(event_class)
    if known is None:
        module, _, qualname = get_topic(event_class).partition(":")
        outer = qualname.rpartition(".")[0]
        known = _AGGREGATES[event_class] = resolve_topic(f"{module}:{outer}") if outer else event_class
    return known


def _event(stored: StoredEvent, event_state: dict[str, Any]) -> Any:
    """The domain event, rebuilt as :meth:`Mapper.to_domain_event` rebuilds it."""
    cls = resolve_topic(stored.topic)
    # A class is hashable; mypy's stub of lru_cache, which the library's function wears, does not see it.
    convert = find_id_convertor(cls, type(stored.originator_id))  # type: ignore[arg-type]
    event_state["originator_id"] = convert(stored.originator_id)
    event_state["originator_version"] = stored.originator_version
    class_version = getattr(cls, "class_version", 1)
    from_version = event_state.pop("class_version", 1)
    while from_version < class_version:
        getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(event_state)
        from_version += 1
    domain_event = object.__new__(cls)
    object.__setattr__(domain_event, "__dict__", event_state)
    return domain_event
