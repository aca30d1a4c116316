"""The Ombudsman's monitoring visits to closed institutions (decision 0040): recorded by its monitors, read as
privacy.yaml's ``monitoring_visits`` grants allow, each read recorded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.access_record import AccessOutcome
from hub.aggregates.base import event_topic
from hub.aggregates.monitoring_visit import MonitoringVisit
from hub.aggregates.referral import Referral
from hub.aggregates.vocabulary import CASE_MANAGING_BODIES, CLOSED_INSTITUTIONS
from hub.application import HubApplication
from hub.errors import InvalidInput, NotFound
from hub.privacy.addressing import addressed_to
from hub.projections.agency_views import AgencyViews
from hub.services.aggregates import Aggregates
from hub.services.directory import DirectoryService
from hub.services.reads import ReadService

RECORD_TYPE = "monitoring_visit"
VISITED = "visited"  # a grant's "to": the institution the visit was to
# The NPM's mandate since 2019: CAMs and every closed or residential institution (vse L952, L1588).
VISITABLE = CLOSED_INSTITUTIONS | CASE_MANAGING_BODIES
_RECORDED = event_topic(MonitoringVisit, "Recorded")
_BATCH = 500


def visits_recorded(store: HubApplication) -> Iterator[UUID]:
    """The ids of every visit, oldest first, from the log's visit events (visits are few: no view of their own)."""
    position = 0
    while batch := store.recorder.select_notifications(position + 1, _BATCH, topics=[_RECORDED]):
        yield from (n.originator_id for n in batch)  # type: ignore[misc]
        position = batch[-1].id


class VisitService:
    def __init__(
        self, store: HubApplication, aggregates: Aggregates, directory: DirectoryService, views: AgencyViews,
        reads: ReadService,
    ) -> None:
        self.store = store
        self.aggregates = aggregates
        self.directory = directory
        self.views = views
        self.reads = reads

    def record(
        self, actor: Actor, institution: str, visited_on: date, monitors: list[str], findings: str,
        findings_for_institution: str | None,
    ) -> dict[str, Any]:
        visited = self.directory.agency(institution, field="institution")
        if visited.kind not in VISITABLE:
            raise InvalidInput("institution", "the monitors visit a closed institution or a CAM/CSC, not a %(kind)s",
                               values={"kind": visited.kind}, problem_type="not-an-institution")
        if visited_on > clock.now().date():
            raise InvalidInput("visited_on", "a visit is recorded once it has taken place")
        visit = MonitoringVisit(
            actor=actor, institution=institution, visited_on=visited_on, monitors=monitors,
            findings=findings, findings_for_institution=findings_for_institution,
        )
        self.aggregates.save(visit)
        return self._shown(actor, visit)

    def cite(self, actor: Actor, visit_id: UUID, referral_id: UUID) -> dict[str, Any]:
        """A referral the caller's body made lists the visit it came out of; another body's is not known here."""
        visit = self._visible(actor, visit_id, "cite")
        referral = self.aggregates.find(referral_id)
        if not isinstance(referral, Referral) or referral.referrer_agency != actor.agency:
            raise NotFound(f"no referral {referral_id}")
        visit.cite(actor, referral_id)
        self.aggregates.save(visit)
        return self._shown(actor, visit)

    def visit(self, actor: Actor, visit_id: UUID) -> dict[str, Any]:
        return self._shown(actor, self._visible(actor, visit_id, "read"))

    def visits(self, actor: Actor, institution: str | None = None) -> list[dict[str, Any]]:
        """The visits the caller may see, oldest first; of one institution if named."""
        found = (self.aggregates.load(MonitoringVisit, v, "visit") for v in visits_recorded(self.store))
        return [
            self._shown(actor, v) for v in found
            if (institution is None or v.institution == institution) and self._fields(actor, v)
        ]

    def _visible(self, actor: Actor, visit_id: UUID, purpose: str) -> MonitoringVisit:
        visit = self.aggregates.find(visit_id)
        if not isinstance(visit, MonitoringVisit) or not self._fields(actor, visit):
            raise self.reads.denied(actor, RECORD_TYPE, visit_id, None, purpose)
        return visit

    def _fields(self, actor: Actor, visit: MonitoringVisit) -> dict[str, str]:
        """field -> the grant that shows it to the caller: none for a body the policy does not name."""
        rules = self.views.engine().file.monitoring_visits
        kind = self.directory.agency(actor.agency).kind
        shown: dict[str, str] = {}
        for grant in rules.grants if rules else []:
            to = [p for p in grant.to if p != VISITED]
            if (VISITED in grant.to and actor.agency == visit.institution) or addressed_to(to, kind, actor.role):
                shown.update({name: grant.id for name in grant.fields if name not in shown})
        return shown

    def _shown(self, actor: Actor, visit: MonitoringVisit) -> dict[str, Any]:
        fields = self._fields(actor, visit)
        record = {
            "id": visit.id, "institution": visit.institution, "visited_on": visit.visited_on,
            "recorded_by": visit.recorded_by, "monitors": visit.monitors, "findings": visit.findings,
            "findings_for_institution": visit.findings_for_institution, "referral_ids": visit.referral_ids,
        }
        self.reads.record_read(actor, None, RECORD_TYPE, visit.id, sorted(fields), sorted(set(fields.values())),
                               AccessOutcome.GRANTED, "read")
        return {name: value for name, value in record.items() if name in fields}
