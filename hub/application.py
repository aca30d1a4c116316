"""The hub's event store: the eventsourcing Application that saves and loads every aggregate.

It holds no commands. The services (hub/services/) receive it, or the parts of it
they use, from the composition root (hub/bootstrap.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from eventsourcing.application import AggregateNotFoundError, ProcessingEvent
from eventsourcing.persistence import ApplicationRecorder, IntegrityError, JSONTranscoder, Recording, Transcoder

from hub.actor import HUB_SYSTEM
from hub.aggregates.child import Child
from hub.aggregates.privacy_policy import POLICY_ID, PrivacyPolicy
from hub.crypto.application import PerChildEncryption
from hub.group_commit import GroupCommitting
from hub.migrations.runner import Migrations, at_start
from hub.privacy.policy_file import LoadedPolicy, packaged_policy_text
from hub.projections.sql import Sql
from hub.store import setting_up, store_env
from hub.transcodings import ActorAsDict, DateAsISO, OneEncoder

CACHE_ENV = "HUB_AGGREGATE_CACHE"
# A child gains an event for every referral, case and link naming it; a snapshot every so many
# bounds what loading it folds, whatever its history (issue #13).
SNAPSHOT_EVERY = 50
CACHE_DEFAULT = 4096


def aggregate_cache_size(env: Mapping[str, str] | None) -> str:
    """How many aggregates a process keeps decoded (the library's cache): each use reads only the events
    stored since, so loading a child with a long history costs what loading a new one does. 0 keeps none."""
    value = (env if env is not None else os.environ).get(CACHE_ENV, str(CACHE_DEFAULT))
    if not value.isdigit():
        raise ValueError(f"{CACHE_ENV} must be a whole number of aggregates (0: none), not {value!r}")
    return value if int(value) > 0 else ""  # the library reads 0 as "keep every one", and nothing as none


class HubApplication(GroupCommitting, PerChildEncryption):
    """Personal data in events is sealed with one key per child (docs/decisions/0008); saves arriving
    together share a transaction (hub.group_commit)."""

    name = "hub"
    is_snapshotting_enabled = True

    def __init__(
        self, env: Mapping[str, str] | None = None, policy_text: str | None = None, *, migrate: bool = False
    ) -> None:
        """``migrate``: apply every pending schema step (``hub migrate``); otherwise only those that add (0045)."""
        self._migrate_all = migrate
        # Told of every save once committed, with what it saved: the log follower (hub/projections/follower.py).
        self.on_saved: list[Callable[[list[Recording], tuple[Any, ...]], None]] = []
        settings = {**store_env(env), **(env or {})}
        settings["AGGREGATE_CACHE_MAXSIZE"] = aggregate_cache_size(env)
        with setting_up(settings):  # processes started together take turns creating tables
            super().__init__(settings)
            self.adopt_policy(policy_text or packaged_policy_text())

    def construct_recorder(self) -> ApplicationRecorder:
        """The library's tables, then ours brought to this release's shape, before anything reads them.

        With ``CREATE_TABLE=no`` the operator owns the schema: nothing is applied, a pending step refused."""
        recorder = super().construct_recorder()
        creating = self.factory.env_create_table()  # type: ignore[attr-defined]
        self.migrated = Migrations(Sql(recorder)).run(lambda step: creating and (self._migrate_all or at_start(step)))
        return recorder

    def adopt_policy(self, text: str) -> PrivacyPolicy:
        """Records the policy in force, if it differs from the one last adopted."""
        policy = LoadedPolicy(text)
        for _ in range(3):
            try:
                current: PrivacyPolicy = self.repository.get(POLICY_ID)
            except AggregateNotFoundError:
                current = PrivacyPolicy(
                    id=POLICY_ID, actor=HUB_SYSTEM, version=policy.version, digest=policy.digest, text=policy.text
                )
            else:
                current.adopt(HUB_SYSTEM, policy.version, policy.digest, policy.text)
            try:
                self.save(current)
                return current
            except IntegrityError:
                continue  # another process adopted at the same moment
        return self.repository.get(POLICY_ID)

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording]:
        recordings = super().save(*objs, **kwargs)
        for told in self.on_saved:
            told(recordings, objs)
        return recordings

    def _take_snapshots(self, processing_event: ProcessingEvent) -> None:
        """Snapshots the aggregate just saved, where the library would load it again from the store at the
        version that crossed the interval: the save succeeded, so this copy is the stored state. Sealed with
        the child's key like its events (hub.crypto.mapper), so erasure shreds it with them."""
        if self.snapshots is None:
            return
        # the ids first: a poll's save holds hundreds of children and as many events, not a product of both
        due = {event.originator_id for event in processing_event.events if event.originator_version % SNAPSHOT_EVERY == 0}
        for aggregate in processing_event.aggregates.values():
            if aggregate.id in due and isinstance(aggregate, Child):
                self.snapshots.put([Child.Snapshot.take(aggregate)])

    def construct_transcoder(self) -> Transcoder:
        transcoder = OneEncoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(ActorAsDict())
        transcoder.register(DateAsISO())
