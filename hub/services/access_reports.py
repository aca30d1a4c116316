"""Who saw what: the access report for auditors, and for a centre about its own child.

The rows come from the read log and the openings table, both projected from
the event log with the views; the reasons for breaking the glass and the
owners of records come from the events themselves. Running the report is a
read of every child it names, and is recorded like any other read, refusals
too (docs/decisions/0014).
"""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.access_record import AccessOutcome
from hub.aggregates.glass_break import opening_cited
from hub.aggregates.vocabulary import CASE_MANAGING_BODIES
from hub.application import HubApplication
from hub.crypto.erased import ERASED
from hub.errors import Forbidden
from hub.permissions import may
from hub.projections.agency_views import AgencyViews
from hub.projections.dossier_cache import DossierCache
from hub.reports.access_report import (
    COMMAND,
    PURPOSE,
    AccessReport,
    ReportFilter,
    ReportRow,
    opening_row,
    read_row,
)
from hub.services.directory import DirectoryService
from hub.services.reads import ReadService

ACCESS_LOG = "access_log"  # the record type under which reading the access log is itself logged
WHOLE_LOG = UUID(int=1)  # its record id when the report is not about one child
REPORT_FIELDS = sorted(ReportRow.__dataclass_fields__)
ERASED_REASON = "(erased with the child's personal data)"
# Records a body creates; anything else in the read log (counts, the access log itself) has no owner.
OWNED = frozenset({"referral", "case", "child", "consent", "notice", "allegation", "note", "attachment"})


class AccessReportService:
    def __init__(
        self, store: HubApplication, directory: DirectoryService, views: AgencyViews, dossiers: DossierCache,
        reads: ReadService,
    ) -> None:
        self.store = store
        self.directory = directory
        self.views = views
        self.dossiers = dossiers
        self.reads = reads

    def access_report(self, actor: Actor, filters: ReportFilter) -> AccessReport:
        """Every read, publication and break-the-glass opening the filters select, in log order."""
        self.require_reporter(actor, filters.child_id)
        filters.check()
        self._require_own_child(actor, filters)
        self.views.current()
        where, params = filters.where()
        sources = _Sources(self)
        rows = [
            read_row(r, sources.owner(r.record_type, r.record_id, r.child_id), sources.reason(opening_cited(r.rules)))
            for r in self.views.store.reads(where, params)
        ] + [
            opening_row(o, sources.owner(o.record_type, o.record_id, o.child_id), sources.reason(UUID(o.opening_id)))
            for o in self.views.openings.select(where, params)
        ]
        rows.sort(key=lambda row: row.position)
        self._record_report(actor, filters, rows)
        return AccessReport(clock.now(), filters, rows)

    def require_reporter(self, actor: Actor, child_id: UUID | None) -> None:
        """commands.yaml's audit.access_report; a refusal is recorded as a refused read of the log."""
        kind = self.directory.agency(actor.agency).kind
        if not may(kind, actor.role, COMMAND):
            raise self._report_refused(actor, child_id, f"a {actor.role} of a {kind} may not {COMMAND}")

    def _require_own_child(self, actor: Actor, filters: ReportFilter) -> None:
        """Oversight bodies report on anything; a centre only on a child whose case it manages."""
        if self.directory.agency(actor.agency).kind in CASE_MANAGING_BODIES and not self._manages(actor.agency, filters.child_id):
            # The same answer whether the child exists or not: it must not tell a centre about other centres' children.
            raise self._report_refused(
                actor, filters.child_id, "a centre may report only on a child whose case it manages"
            )

    def _manages(self, agency: str, child_id: UUID | None) -> bool:
        return child_id is not None and agency in self.managers_of(child_id)

    def managers_of(self, child_id: UUID) -> set[str]:
        with self.dossiers.dossier(child_id) as dossier:
            return set() if dossier is None else {case.managing_agency for case in dossier.cases}

    def _report_refused(self, actor: Actor, child_id: UUID | None, detail: str) -> Forbidden:
        self.reads.record_read(actor, child_id, ACCESS_LOG, child_id or WHOLE_LOG, [], [], AccessOutcome.DENIED, PURPOSE)
        return Forbidden(detail, command=COMMAND)

    def _record_report(self, actor: Actor, filters: ReportFilter, rows: list[ReportRow]) -> None:
        """One read naming every child the report showed, so each child's own log shows it was looked at."""
        children = sorted({str(row.child_id) for row in rows if row.child_id is not None})
        self.reads.record_read(
            actor, filters.child_id, ACCESS_LOG, filters.child_id or WHOLE_LOG, REPORT_FIELDS, [COMMAND],
            AccessOutcome.GRANTED, PURPOSE, items=[[child, ACCESS_LOG, child] for child in children],
        )


class _Sources:
    """What the report reads from the events, once per record."""

    def __init__(self, app: AccessReportService) -> None:
        self.app = app
        self.first_event = cache(self._first_event)

    def _first_event(self, aggregate_id: UUID) -> Any:
        return next(iter(self.app.store.events.get(aggregate_id, limit=1)), None)

    def owner(self, record_type: str, record_id: str, child_id: str | None) -> str | None:
        """The body that created the record: who acted in its first event."""
        if record_type == "medical_examination":
            return self._examining_centre(UUID(record_id), child_id)
        if record_type not in OWNED:
            return None
        first = self.first_event(UUID(record_id))
        return first.actor.agency if first is not None else None

    def _examining_centre(self, examination_id: UUID, child_id: str | None) -> str | None:
        """An examination is requested inside a case, by the centre that manages it."""
        if not child_id:
            return None
        with self.app.dossiers.dossier(UUID(child_id)) as dossier:
            cases = dossier.cases if dossier is not None else []
            return next((c.managing_agency for c in cases if examination_id in c.medical_examinations), None)

    def reason(self, opening_id: UUID | None) -> str | None:
        opened = self.first_event(opening_id) if opening_id is not None else None
        if opened is None:
            return None
        return ERASED_REASON if opened.reason is ERASED else str(opened.reason)
