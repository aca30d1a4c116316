"""Wires per-child encryption into an eventsourcing Application.

The hub's tables share the library's datastore (its connection pool), so they
live in the same SQLite file, in-memory database or PostgreSQL schema as the
events, and need no configuration of their own.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.application import Repository
from eventsourcing.persistence import ApplicationRecorder, JSONTranscoder, Mapper, Recording
from eventsourcing.utils import Environment, EnvType

from hub.aggregates.base import being_created
from hub.aggregates.child import Child
from hub.audit.chain_store import DEFAULT_EVERY, ChainStore
from hub.audit.chaining import Chaining
from hub.audit.signer import CheckpointSigner
from hub.audit.signing_key import load_checkpoint_seed
from hub.collecting import SavesByClass
from hub.crypto.derived import derived_key
from hub.crypto.erased import ErasedAsMarker
from hub.crypto.erased_repository import ErasureAwareRepository
from hub.crypto.ids import RecordIds
from hub.crypto.keys import ChildKeyStore
from hub.crypto.mapper import ChildMapper
from hub.crypto.master_key import load_master_key
from hub.crypto.recorders import RECORDER_TOPICS, SubjectIndexing
from hub.crypto.subjects import SubjectIndex
from hub.crypto.tables import HubTables
from hub.privacy.policy_file import LoadedPolicy, packaged_policy_text
from hub.projections.sql import Sql

CHECKPOINT_EVERY = "HUB_CHECKPOINT_EVERY"


class PerChildEncryption(SavesByClass):
    child_keys: ChildKeyStore
    mapper: ChildMapper
    name_index_key: bytes  # keys the hashes of names in the duplicate index (hub/matching/index.py)
    pseudonym_key: bytes  # keys the pseudonyms auditors see in place of personal values (hub/audit/pseudonyms.py)
    record_ids: RecordIds  # ids fixed by a natural key that no caller can compute (hub/crypto/ids.py)
    chain: ChainStore
    checkpoint_signer: CheckpointSigner
    hub_tables: HubTables  # the hub's tables beside the events (keys, subjects, attachments' bytes)

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        environment = super().construct_env(name, env)
        module = environment.get("PERSISTENCE_MODULE") or "eventsourcing.popo"
        if module not in RECORDER_TOPICS:
            raise RuntimeError(f"per-child encryption needs an SQLite or PostgreSQL store, not {module}")
        if not environment.get("APPLICATION_RECORDER_TOPIC"):
            environment["APPLICATION_RECORDER_TOPIC"] = RECORDER_TOPICS[module]
        return environment

    def construct_mapper(self) -> Mapper:
        master_key = load_master_key(self.env)
        tables = HubTables(self.factory.datastore)  # type: ignore[attr-defined]
        self.hub_tables = tables
        self.child_keys = ChildKeyStore(tables, master_key)
        self.name_index_key = derived_key(master_key, "child name index")
        self.pseudonym_key = derived_key(master_key, "auditor pseudonyms")
        self.record_ids = RecordIds(derived_key(master_key, "record ids"))
        self.checkpoint_signer = CheckpointSigner(load_checkpoint_seed(self.env))  # never from the master key (0021)
        return ChildMapper(
            self.construct_transcoder(),
            compressor=self.factory.compressor(),
            cipher=self.factory.cipher(),
            keys=self.child_keys,
            subjects=SubjectIndex(tables),
            # The packaged policy's: what is sealed must not wait for the policy in force to be read from
            # the log, and any version of it decodes (each event names its sealed attributes).
            clear=LoadedPolicy(packaged_policy_text()).file.clear_event_attributes(),
        )

    def construct_recorder(self) -> ApplicationRecorder:
        recorder = super().construct_recorder()
        if not isinstance(recorder, SubjectIndexing) or not isinstance(recorder, Chaining):
            raise RuntimeError(
                f"APPLICATION_RECORDER_TOPIC gives {type(recorder).__name__}, which does not index which child"
                " an aggregate belongs to and chain its events: derive it from hub.crypto.recorders.SQLiteHubRecorder"
                " or PostgresHubRecorder"
            )
        recorder.index_subjects = self.mapper.index_subjects
        every = int(self.env.get(CHECKPOINT_EVERY) or DEFAULT_EVERY)
        self.chain = ChainStore(
            Sql(recorder), self.checkpoint_signer, every,
            lock_statements=getattr(recorder, "lock_table_statements", ()),
        )
        recorder.chain = self.chain
        return recorder

    def construct_repository(self) -> Repository:
        repository = super().construct_repository()
        repository.__class__ = ErasureAwareRepository  # the library's repository, one check added on failure
        repository.keys = self.child_keys  # type: ignore[attr-defined]
        repository.subjects = self.mapper.subjects  # type: ignore[attr-defined]
        return repository

    def save(self, *objs: Any, handed_over: bool = False, **kwargs: Any) -> list[Recording]:
        """Mints the keys of children saved for the first time, to be stored in the same transaction.
        ``handed_over``: the caller will not use the aggregates again, so the cache keeps them, not copies."""
        new = {obj.id for obj in objs if isinstance(obj, Child) and being_created(obj)}
        for child_id in new:
            self.child_keys.mint(child_id)
        recordings = super().save(*objs, **kwargs)
        self.child_keys.settle(new)
        self.repository.remember(objs, copying=not handed_over)  # type: ignore[attr-defined]
        return recordings

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(ErasedAsMarker())
