"""Monitoring indicators by replay (cam-csc-manual §7.2; docs/decisions/0020), for the bodies that receive counts."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid5

from hub import clock
from hub.actor import Actor
from hub.aggregates.access_record import AccessOutcome
from hub.aggregates.monitoring_visit import MonitoringVisit
from hub.application import HubApplication
from hub.audit.replay import Replay
from hub.errors import InvalidInput
from hub.projections.agency_views import AgencyViews
from hub.reports.indicator_counts import Period
from hub.reports.indicators import IndicatorReport, indicator_cells, packaged_spec
from hub.services.directory import DirectoryService
from hub.services.reads import ReadService
from hub.services.statistics import STATISTICS, StatisticsService


class IndicatorService:
    def __init__(
        self, store: HubApplication, views: AgencyViews, statistics: StatisticsService, reads: ReadService,
        directory: DirectoryService,
    ) -> None:
        self.store = store
        self.views = views
        self.statistics = statistics
        self.reads = reads
        self.directory = directory

    def indicators(self, actor: Actor, start: datetime, end: datetime, as_of: datetime | None = None) -> IndicatorReport:
        """The indicators of the period [start, end) as the log stood at ``as_of`` (default now).

        Replayed from the log alone, so a report for a past meeting can be made again exactly,
        whatever was recorded since.
        """
        self.statistics.require_statistics_recipient(actor)
        as_of = as_of or clock.now()
        for name, moment in (("from", start), ("to", end), ("as_of", as_of)):
            if moment.tzinfo is None:
                raise InvalidInput(name, "give the moment with its time zone, e.g. 2026-03-01T00:00+05:00")
        if start >= end:
            raise InvalidInput("to", "the period must end after it starts")
        fold, events, _ = Replay(self.store, self.views).whole_log(as_of)
        dossiers = [d for d in map(fold.dossier, fold.known_children()) if d is not None]
        # The policy as of the moment replayed: a report made again hides exactly what it hid then.
        floor = self.views.engine_for(fold.policy).file.aggregates.minimum_cell
        period = Period(start, end)
        # The indicators per closed institution go to the bodies indicators.yaml names (decision 0040).
        spec = packaged_spec().for_kind(str(self.directory.agency(actor.agency).kind))
        visits = [a for a in fold.aggregates.values() if isinstance(a, MonitoringVisit)]
        report = IndicatorReport(
            generated_at=clock.now(), as_of=as_of, period=period, minimum_cell=floor, events_replayed=events,
            children_erased=len(fold.erased),
            cells=indicator_cells(spec, dossiers, fold.agencies, period, floor, visits),
        )
        self.reads.record_read(
            actor, None, "indicators", uuid5(STATISTICS, f"{start.isoformat()}/{end.isoformat()}"), [],
            ["AGGREGATES"], AccessOutcome.GRANTED, f"indicators:{as_of.isoformat()}",
        )
        return report
