"""Erasure by crypto-shredding (docs/decisions/0015): ``hub erase CHILD --reason``."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from hub import clock
from hub.actor import Actor
from hub.aggregates.erasure import ERASED_VALUE, Erasure, erasure_id_for
from hub.application import HubApplication
from hub.attachments.blobs import BlobStore
from hub.errors import GuardViolation, NotFound
from hub.matching.profile import profile_of, stem
from hub.matching.transliteration import words
from hub.privacy.masking import masked
from hub.projections.agency_views import AgencyViews
from hub.projections.view_store import ViewRow
from hub.services.aggregates import Aggregates
from hub.services.same_child import SameChild


class ErasureService:
    def __init__(self, store: HubApplication, aggregates: Aggregates, views: AgencyViews, blobs: BlobStore) -> None:
        self.store = store
        self.aggregates = aggregates
        self.views = views
        self.blobs = blobs  # the children's files: unreadable once the keys are gone, and deleted (decision 0047)

    def erase(self, actor: Actor, child_id: UUID, reason: str) -> Erasure:
        """Records the erasure with what remains visible of the child, then shreds the keys.

        In that order: should the process die in between, running it again finds the
        erasure recorded and finishes the shredding; the other way round, the residue
        could no longer be computed.
        """
        reason = Erasure.check_reason(reason)
        erasure_id = erasure_id_for(self.aggregates.ids, child_id)
        erasure = self._recorded(erasure_id)
        if erasure is None:
            erasure = self._order(actor, child_id, erasure_id, reason)
        for erased in erasure.child_ids:
            self.store.child_keys.shred(erased)
            self.blobs.delete_child(erased)
        self.views.catch_up()
        return erasure

    def _recorded(self, erasure_id: UUID) -> Erasure | None:
        if self.aggregates.exists(erasure_id):
            return self.aggregates.load(Erasure, erasure_id, "erasure")
        return None

    def _order(self, actor: Actor, child_id: UUID, erasure_id: UUID, reason: str) -> Erasure:
        self.views.catch_up()
        if self.views.fold.dossier(child_id) is None:
            raise NotFound(f"no child {child_id}")
        children = SameChild(self.store.recorder, self.store.mapper).records_of(child_id)
        now = clock.now()
        residue = []
        for each in children:
            self._require_nothing_open(each)
            self._require_reason_names_not(each, reason, now)
            residue += [self._residue(row) for row in self.views.rows_for(each, now)]
        erasure = Erasure(id=erasure_id, actor=actor, child_ids=children, reason=reason, residue=residue)
        try:
            self.aggregates.save(erasure)
        except IntegrityError:  # ordered at the same moment by someone else: theirs stands
            return self.aggregates.load(Erasure, erasure_id, "erasure")
        return erasure

    def _require_nothing_open(self, child_id: UUID) -> None:
        dossier = self.views.fold.dossier(child_id)
        matter = dossier.open_matter() if dossier is not None else None  # None: already erased, nothing open
        if matter == "case":
            raise GuardViolation(
                "erasure-open-case", "child %(child_id)s has an open case: close it before erasing",
                values={"child_id": child_id}, status=409
            )
        if matter == "referral":
            raise GuardViolation(
                "erasure-open-referral", "child %(child_id)s has a referral not yet decided",
                values={"child_id": child_id}, status=409
            )

    def _require_reason_names_not(self, child_id: UUID, reason: str, now: datetime) -> None:
        """The reason outlives the child's key: none of the child's names, in any spelling, may be in it."""
        dossier = self.views.fold.dossier(child_id)
        profile = profile_of(dossier.child, now.date()) if dossier is not None else None
        said = {key for word in words(reason) for key in (word, stem(word))}
        if profile is not None and said & profile.name_keys():
            raise GuardViolation(
                "erasure-reason-names-child",
                "the reason is kept in clear once the child is erased: give the ground without naming the child",
                field="reason",
            )

    def _residue(self, row: ViewRow) -> dict[str, Any]:
        policy = self.views.engine().file
        return {
            "agency": row.agency,
            "record_type": row.record_type,
            "record_id": row.record_id,
            "child_id": row.child_id,
            "body": masked(policy, row.record_type, row.body, lambda path, value: ERASED_VALUE),
            "rules": row.rules,
            "roles": row.roles,
            "policy_version": row.policy_version,
        }
