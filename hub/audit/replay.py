"""Replay as of a moment: a child's dossier, its records and every body's view as they were at T.

Aggregates are rebuilt from their own events up to T, the agency register and
the privacy policy too, so a view at T is judged by the policy in force at T.
Nothing is read from the projection tables: the log alone is the witness.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from hub.crypto.keys import ChildErased
from hub.privacy.dossier import Dossier, records_of
from hub.projections.agency_views import view_rows
from hub.projections.fold import DossierFold
from hub.projections.view_store import ViewRow
from hub.young_collections import frozen_batches

BATCH = 5000


class Replay:
    def __init__(self, store: Any, views: Any) -> None:
        self.store = store
        self.views = views

    def _loader(self, at: datetime) -> Callable[[UUID, int | None], Any]:
        def load(aggregate_id: UUID, version: int | None) -> Any:
            aggregate = None
            for event in self.store.events.get(aggregate_id, lte=version):
                if event.timestamp > at:
                    break
                aggregate = event.mutate(aggregate)
            return aggregate

        return load

    def fold_at(self, child_id: UUID, at: datetime) -> tuple[DossierFold, Dossier | None]:
        if self.store.child_keys.is_shredded(child_id):
            raise ChildErased(child_id)  # its history no longer reads: only the erasure's residue is left
        fold = DossierFold(self._loader(at), self.store.mapper.subjects.members, self.store.mapper.subjects.child_of, set)
        fold.ensure_context()
        return fold, fold.dossier(child_id)

    def child_of(self, record_type: str, record_id: UUID) -> UUID | None:
        return record_id if record_type == "child" else self.store.mapper.subjects.child_of(record_id)

    def record(self, record_type: str, record_id: UUID, at: datetime) -> dict[str, Any] | None:
        """The whole record as it stood at ``at``; None if it did not exist yet."""
        child_id = self.child_of(record_type, record_id)
        if child_id is None:
            return None
        _, dossier = self.fold_at(child_id, at)
        if dossier is None:
            return None
        return next(
            (r.record for r in records_of(dossier, at) if (r.record_type, r.record_id) == (record_type, record_id)),
            None,
        )

    def view_rows(self, child_id: UUID, at: datetime) -> list[ViewRow]:
        """What each body could see of the child's records at ``at``, under the policy in force then."""
        fold, dossier = self.fold_at(child_id, at)
        if dossier is None:
            return []
        return view_rows(self.views.engine_for(fold.policy), fold.agencies, dossier, at)

    def whole_log(self, at: datetime | None = None) -> tuple[DossierFold, int, float]:
        """Folds every event up to ``at`` in memory, touching nothing but the log; (fold, events, seconds)."""
        started = time.perf_counter()
        fold = DossierFold(lambda aggregate_id, version: None, lambda child_id: [], lambda aggregate_id: None,
                           self.store.child_keys.shredded)
        fold.ensure_context()
        position, folded = 0, 0
        with frozen_batches() as between_batches:
            while notifications := self.store.recorder.select_notifications(start=position + 1, limit=BATCH):
                # A batch decoded whole, then folded whole: event by event, decoding and folding evict each
                # other's code and data from the processor's caches. Eight rounds alternating (3 x 10^4 events,
                # SQLite, by CPU): replay was a median 0.63 of read-and-decode event by event, 0.70 batch by batch.
                for event in [self.store.mapper.to_domain_event(notification) for notification in notifications]:
                    if at is None or event.timestamp <= at:
                        fold.apply(event)
                        folded += 1
                position = notifications[-1].id
                between_batches()
        return fold, folded, time.perf_counter() - started


def differences(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Field by field, what changed between two versions of a record."""
    old, new = _flat(before or {}), _flat(after or {})
    return [
        {"field": path, "before": old.get(path), "after": new.get(path)}
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    ]


def _flat(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict) and value:
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat
