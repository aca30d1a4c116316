"""The composition root: every service built once, each given exactly the collaborators it calls.

The HTTP API, the CLI, the Kafka workers, the adapters and the tests all start
from :func:`bootstrap` and use the services of the :class:`Hub` it returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from adapters.apply import MessageService
from hub.application import HubApplication
from hub.projections.agency_views import AgencyViews
from hub.services.access_reports import AccessReportService
from hub.services.aggregates import Aggregates
from hub.services.audit_replay import AuditReplayService
from hub.services.cases import CaseService
from hub.services.children import ChildService
from hub.services.consents import ConsentService
from hub.services.directory import DirectoryService
from hub.services.duplicates import DuplicateService
from hub.services.erasure import ErasureService
from hub.services.escalation import EscalationService
from hub.services.glass import GlassService
from hub.services.inbox import InboxService
from hub.services.indicators import IndicatorService
from hub.services.integrity import IntegrityService
from hub.services.medical import MedicalService
from hub.services.reads import ReadService
from hub.services.referrals import ReferralService
from hub.services.retention import RetentionService
from hub.services.statistics import StatisticsService
from hub.services.tokens import TokenService


@dataclass(frozen=True, repr=False)
class Hub:
    store: HubApplication
    aggregates: Aggregates
    views: AgencyViews
    directory: DirectoryService
    tokens: TokenService
    reads: ReadService
    glass: GlassService
    duplicates: DuplicateService
    referrals: ReferralService
    cases: CaseService
    children: ChildService
    consents: ConsentService
    medical: MedicalService
    statistics: StatisticsService
    indicators: IndicatorService
    inbox: InboxService
    escalation: EscalationService
    erasure: ErasureService
    retention: RetentionService
    integrity: IntegrityService
    access_reports: AccessReportService
    audit_replay: AuditReplayService
    messages: MessageService  # the agencies' own messages, through their adapters

    def close(self) -> None:
        self.store.close()


def bootstrap(env: Mapping[str, str] | None = None, policy_text: str | None = None) -> Hub:
    store = HubApplication(env, policy_text)
    aggregates = Aggregates(store)
    views = AgencyViews(store)
    directory = DirectoryService(aggregates)
    reads = ReadService(store, aggregates, directory, views)
    duplicates = DuplicateService(aggregates, views, store.child_keys)
    cases = CaseService(aggregates, directory)
    children = ChildService(aggregates)
    consents = ConsentService(aggregates, directory, children)
    statistics = StatisticsService(directory, views, reads)
    referrals = ReferralService(aggregates, directory, duplicates)
    return Hub(
        store=store,
        aggregates=aggregates,
        views=views,
        directory=directory,
        tokens=TokenService(aggregates, directory),
        reads=reads,
        glass=GlassService(aggregates, directory, views, reads),
        duplicates=duplicates,
        referrals=referrals,
        cases=cases,
        children=children,
        consents=consents,
        medical=MedicalService(aggregates, directory, cases, consents),
        statistics=statistics,
        indicators=IndicatorService(store, views, statistics, reads),
        inbox=InboxService(aggregates, views, reads),
        escalation=EscalationService(aggregates, directory, views),
        erasure=ErasureService(store, aggregates, views),
        retention=RetentionService(store, views),
        integrity=IntegrityService(store),
        access_reports=AccessReportService(store, directory, views, reads),
        audit_replay=AuditReplayService(store, aggregates, views, reads),
        messages=MessageService(aggregates, directory, referrals, cases),
    )
