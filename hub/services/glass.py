"""Break-the-glass: opening a record the policy withholds, for a limited time, with a reason."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.access_record import AccessOutcome
from hub.aggregates.glass_break import GlassBreak
from hub.errors import Forbidden, NotFound
from hub.privacy.dossier import record_of
from hub.projections.agency_views import AgencyViews
from hub.projections.dossier_cache import DossierCache
from hub.services.aggregates import Aggregates
from hub.services.directory import DirectoryService
from hub.services.reads import ReadService


class GlassService:
    def __init__(
        self, aggregates: Aggregates, directory: DirectoryService, views: AgencyViews, dossiers: DossierCache,
        reads: ReadService,
    ) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self.views = views
        self.dossiers = dossiers
        self.reads = reads

    def break_glass(self, actor: Actor, record_type: str, record_id: UUID, reason: str) -> GlassBreak:
        engine = self.views.engine()
        kind = self.directory.agency(actor.agency).kind
        if not engine.may_break_glass(kind, actor.role, record_type):
            raise Forbidden(f"a {actor.role} of a {kind} may not break the glass on a {record_type}")
        child_id = self.reads.child_of_record(record_type, record_id)
        if child_id is None:
            raise NotFound(f"no {record_type} {record_id}")
        minutes = engine.file.break_glass.duration_minutes
        opening = GlassBreak(
            actor=actor, child_id=child_id, record_type=record_type, record_id=record_id,
            reason=GlassBreak.check_reason(reason), until=clock.now() + timedelta(minutes=minutes),
        )
        self.aggregates.save(opening)
        return opening

    def show_through_glass(self, actor: Actor, opening_id: UUID) -> dict[str, Any]:
        opening = self.aggregates.load(GlassBreak, opening_id, "opening")
        now = clock.now()
        if not opening.is_open_for(actor, now):
            raise Forbidden("this opening is not yours, or it has expired: break the glass again with a reason")
        agency = self.reads.agency_ref(actor)
        with self.dossiers.dossier(opening.child_id) as dossier:
            ref = record_of(dossier, opening.record_type, opening.record_id, now) if dossier else None
            disclosure = self.views.engine().break_glass(agency, actor.role, ref, dossier, now) if ref and dossier else None
        if disclosure is None:
            raise self.reads.denied(actor, opening.record_type, opening.record_id, opening.child_id, "break_glass")
        self.reads.record_read(
            actor, opening.child_id, opening.record_type, opening.record_id, list(disclosure.rules),
            [opening.rule], AccessOutcome.BREAK_GLASS, "break_glass",
        )
        return disclosure.record
