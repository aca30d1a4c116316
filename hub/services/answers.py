"""What the caller of a command may see of the record it changed: judged with the command, not after it.

The answer is judged for the caller's body alone, on the child's dossier as this
process holds it (hub/projections/dossier_cache.py) with the command's own
aggregates laid over it, by the same policy and the same rules as the views
(``view_row``). Its cost does not grow with the child's history, and its read is
recorded in the command's own transaction (hub/services/commit.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.access_record import AccessRecord
from hub.aggregates.allegation import Allegation
from hub.aggregates.attachment import Attachment
from hub.aggregates.case import Case
from hub.aggregates.child import Child
from hub.aggregates.consent import Consent
from hub.aggregates.notice import Notice
from hub.aggregates.referral import Referral
from hub.privacy.dossier import AgencyRef, Dossier, each_record, record_of
from hub.privacy.engine import Disclosure
from hub.projections.agency_views import AgencyViews, view_row
from hub.projections.dossier_cache import DossierCache
from hub.services.reads import ReadService

RECORD_TYPES: dict[type, str] = {
    Referral: "referral", Case: "case", Child: "child", Consent: "consent", Notice: "notice",
    Allegation: "allegation",
}


def record_type_of(aggregate: Any) -> str:
    if isinstance(aggregate, Attachment):
        return aggregate.item  # a note or an attachment: two records of one aggregate (decision 0047)
    return next(name for kind, name in RECORD_TYPES.items() if isinstance(aggregate, kind))


def child_of(aggregate: Any) -> Any:
    return aggregate.id if isinstance(aggregate, Child) else aggregate.child_id


class AnswerService:
    def __init__(self, views: AgencyViews, dossiers: DossierCache, reads: ReadService) -> None:
        self.views = views
        self.dossiers = dossiers
        self.reads = reads

    def judge(
        self, actor: Actor, aggregate: Any, changed: list[Any], purpose: str
    ) -> tuple[dict[str, Any] | None, AccessRecord]:
        """What the caller may see of ``aggregate`` once ``changed`` are saved, and the record of that read."""
        record_type, child_id, now = record_type_of(aggregate), child_of(aggregate), clock.now()
        agency = self.reads.agency_ref(actor)
        with self.dossiers.dossier(child_id, changed) as dossier:
            ref = record_of(dossier, record_type, aggregate.id, now) if dossier is not None else None
            engine = self.views.engine_for(self.dossiers.fold.policy)  # ensured by dossier()
            row = view_row(engine, agency, dossier, ref, now) if ref is not None and dossier is not None else None
            return self.reads.judged(actor, record_type, aggregate.id, row, purpose, child_id)

    def knows_child(self, actor: Actor, child_id: UUID) -> bool:
        """Whether the caller's body and role may see any record of the child (its file archived or not): a
        referrer knows the child of its own referral, a centre the child it manages. What a body must before
        it may name the child, so that naming one it may not see tells it nothing."""
        agency, now = self.reads.agency_ref(actor), clock.now()
        with self.dossiers.dossier(child_id) as dossier:  # None for an erased child: nobody may see it
            return dossier is not None and self._sees_child(actor, agency, dossier, now)

    def _sees_child(self, actor: Actor, agency: AgencyRef, dossier: Dossier, now: datetime) -> bool:
        """Stops at the first record the caller sees: a referrer's own referral is among the first."""
        engine, live = self.views.engine_for(self.dossiers.fold.policy), replace(dossier, archival=None)
        rows = (view_row(engine, agency, live, ref, now) for ref in each_record(live, now))
        return any(
            Disclosure(row.record_type, row.record_id, row.body, row.rules, row.roles).for_role(actor.role)
            for row in rows if row is not None
        )
