"""Auditors replay any record as of a moment: pseudonymised by default, in clear through a reasoned opening."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.access_record import AccessOutcome
from hub.aggregates.glass_break import GlassBreak
from hub.application import HubApplication
from hub.audit.pseudonyms import pseudonym
from hub.audit.replay import Replay, differences
from hub.errors import NotFound
from hub.privacy.masking import masked
from hub.privacy.paths import leaf_paths
from hub.projections.agency_views import AgencyViews
from hub.projections.dossier_cache import DossierCache
from hub.services.aggregates import Aggregates
from hub.services.reads import ReadService

OPENING_MINUTES = "HUB_AUDIT_OPENING_MINUTES"
PSEUDONYMISED = "AUDIT-PSEUDONYMISED"


class AuditReplayService:
    def __init__(
        self, store: HubApplication, aggregates: Aggregates, views: AgencyViews, dossiers: DossierCache,
        reads: ReadService,
    ) -> None:
        self.store = store
        self.aggregates = aggregates
        self.views = views
        self.dossiers = dossiers
        self.reads = reads

    def open_for_audit(self, actor: Actor, child_id: UUID, reason: str) -> GlassBreak:
        """Lets this auditor see the child's personal values for a limited time; recorded with its reason."""
        with self.dossiers.dossier(child_id) as dossier:
            if dossier is None:
                raise NotFound(f"no child {child_id}")
        minutes = int(self.store.env.get(OPENING_MINUTES) or 60)
        opening = GlassBreak(
            actor=actor, child_id=child_id, record_type="child", record_id=child_id,
            reason=GlassBreak.check_reason(reason), until=clock.now() + timedelta(minutes=minutes),
            ground=None, notify=None,  # an auditor's opening shows pseudonymised records in clear (0016)
        )
        self.aggregates.save(opening)
        return opening

    def replay_record(
        self, actor: Actor, record_type: str, record_id: UUID, at: datetime, compare: datetime | None = None
    ) -> dict[str, Any]:
        replay = Replay(self.store, self.views)
        child_id = replay.child_of(record_type, record_id)
        record = replay.record(record_type, record_id, at) if child_id is not None else None
        if child_id is None or record is None:
            raise self.reads.denied(actor, record_type, record_id, child_id, "audit_replay")
        other = replay.record(record_type, record_id, compare) if compare is not None else None
        opening = self._open_opening(actor, child_id)
        policy = self.views.engine().file

        def shown(version: dict[str, Any] | None) -> dict[str, Any] | None:
            if version is None or opening is not None:
                return version
            return masked(
                policy, record_type, version, lambda path, value: pseudonym(self.store.pseudonym_key, child_id, path, value)
            )

        fields = sorted(leaf_paths(record, set(policy.records[record_type])))  # type: ignore[index]
        self.reads.record_read(
            actor, child_id, record_type, record_id, fields,
            [opening.rule] if opening is not None else [PSEUDONYMISED],
            AccessOutcome.BREAK_GLASS if opening is not None else AccessOutcome.GRANTED, "audit_replay",
        )
        return {
            "as_of": at,
            "record": shown(record),
            "compared_with": compare,
            "changes": differences(shown(other), shown(record)) if compare is not None else None,
            "pseudonymised": opening is None,
            "opening_id": opening.id if opening is not None else None,
        }

    def _open_opening(self, actor: Actor, child_id: UUID) -> GlassBreak | None:
        now = clock.now()
        with self.dossiers.dossier(child_id) as dossier:
            openings = [
                g for g in (dossier.glass_breaks if dossier else []) if g.record_type == "child" and g.is_open_for(actor, now)
            ]
        return openings[-1] if openings else None
