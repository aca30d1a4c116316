"""The composition root: every service built once, each given exactly the collaborators it calls.

The HTTP API, the CLI, the Kafka workers, the adapters and the tests all start
from :func:`bootstrap` and use the services of the :class:`Hub` it returns.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from adapters.apply import MessageService
from hub.application import HubApplication
from hub.attachments.scan import VirusScan
from hub.attachments.sealing import FileSealer
from hub.attachments.settings import AttachmentSettings
from hub.attachments.storage import blob_store
from hub.deadlines.calendar import WorkingCalendar
from hub.delivery.settings import DeliverySettings
from hub.delivery.worker import DeliveryWorker
from hub.notices.table import packaged_notices
from hub.projections.agency_views import AgencyViews
from hub.projections.dossier_cache import DossierCache
from hub.projections.follower import Follower
from hub.projections.projector import run_projector
from hub.projections.sql import Sql
from hub.services.access_reports import AccessReportService
from hub.services.agency_keys import AgencyKeyService
from hub.services.aggregates import Aggregates
from hub.services.allegation_intake import AllegationIntake
from hub.services.allegations import AllegationService
from hub.services.answers import AnswerService
from hub.services.attachments import AttachmentService
from hub.services.audit_replay import AuditReplayService
from hub.services.case_papers import SUPPORT_REFERRAL_RULES, CasePaperService
from hub.services.cases import CaseService
from hub.services.child_search import ChildSearch
from hub.services.children import ChildService
from hub.services.commit import Commit
from hub.services.consents import ConsentService
from hub.services.deliveries import DeliveryService
from hub.services.directory import DirectoryService
from hub.services.duplicates import DuplicateService
from hub.services.erasure import ErasureService
from hub.services.escalation import EscalationService
from hub.services.family import FamilyService
from hub.services.glass import GlassService
from hub.services.inbox import InboxService
from hub.services.indicators import IndicatorService
from hub.services.integrity import IntegrityService
from hub.services.involvements import InvolvementService
from hub.services.medical import MedicalService
from hub.services.notice_production import NoticeProducer
from hub.services.notices import NoticeService
from hub.services.occupancy import Occupancy
from hub.services.openings_limit import OpeningsLimit
from hub.services.parental_rights import ParentalRightsService
from hub.services.reads import ReadService
from hub.services.reassignments import ReassignmentService
from hub.services.referrals import ReferralService
from hub.services.retention import RetentionService
from hub.services.sign_in_link_table import LinkTable
from hub.services.sign_in_links import LinkLimits, SignInLinkService
from hub.services.staff_files import StaffFileService
from hub.services.statistics import StatisticsService
from hub.services.supporter import REQUEST_RULES, SupporterService
from hub.services.survivors import SurvivorService
from hub.services.teams import TeamService
from hub.services.token_lifetime import TokenLifetime
from hub.services.tokens import TokenService
from hub.services.transfers import TransferService
from hub.services.visits import VisitService

FOLLOW_INTERVAL = 0.05  # seconds between a serving process's looks at the log when nothing is new


@dataclass(frozen=True, repr=False)
class Hub:
    store: HubApplication
    aggregates: Aggregates
    follower: Follower
    views: AgencyViews
    dossiers: DossierCache
    commit: Commit
    directory: DirectoryService
    agency_keys: AgencyKeyService  # what agencies sign their Kafka messages with (docs/decisions/0027)
    tokens: TokenService
    reads: ReadService
    glass: GlassService
    duplicates: DuplicateService
    child_search: ChildSearch  # a child found by IIN, through the keyed index (docs/decisions/0051)
    referrals: ReferralService
    cases: CaseService
    children: ChildService
    consents: ConsentService
    medical: MedicalService
    transfers: TransferService  # a case moving to another region's centre (docs/decisions/0039)
    # the people of a case and the family's proceedings (docs/decisions/0042)
    teams: TeamService
    reassignments: ReassignmentService
    parental_rights: ParentalRightsService
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
    notices: NoticeService
    deliveries: DeliveryService  # each channel's delivery of a notice, and each failure (docs/decisions/0036)
    allegations: AllegationService
    family: FamilyService  # family links, judged on both children's dossiers (docs/decisions/0041)
    involvements: InvolvementService  # a child harmed by another minor, both with their needs (decision 0050)
    occupancy: Occupancy  # children placed in each closed institution now (decision 0050)
    survivors: SurvivorService  # adult survivors' reports and their siblings' referrals (0041)
    supporter: SupporterService  # the NGO's side of an independent supporter (docs/decisions/0034)
    sign_in_links: SignInLinkService  # sign-in by a one-time link or code sent to a registered address (0048)
    attachments: AttachmentService  # notes and files on a child, a referral or a case (docs/decisions/0047)
    visits: VisitService  # the Ombudsman's monitoring visits to closed institutions (docs/decisions/0040)
    papers: CasePaperService  # what the centre sends in writing, and the answers (docs/decisions/0044)
    staff_files: StaffFileService  # allegations' outcomes to the employer, outside the child's file (0044)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self, project: bool, interval: float = FOLLOW_INTERVAL, deliver: bool = False) -> None:
        """A serving process: follows the log on a thread of its own and, with ``project``, keeps the
        views up to date on another (where no ``hub project`` runs apart), so no request does either;
        with ``deliver``, delivers the notices on a third (where no ``hub deliver`` runs apart). The projector
        works only while elected (docs/decisions/0031)."""
        loops = [("hub-follow", lambda: self.follower.run(self._stop, interval))]
        if project:
            loops.append(("hub-project", lambda: run_projector(self.views, self._stop, interval)))
        if deliver:
            worker = DeliveryWorker(self, DeliverySettings.from_env(self.store.env))
            loops.append(("hub-deliver", lambda: worker.run(self._stop)))
        for name, loop in loops:
            thread = threading.Thread(target=loop, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    @property
    def closed(self) -> bool:
        return self._stop.is_set()

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)
        self.store.close()


def bootstrap(env: Mapping[str, str] | None = None, policy_text: str | None = None, *, serving: bool = False) -> Hub:
    """``serving``: a process that serves requests follows the log on a thread of its own (``Hub.start``);
    any other looks at the log when it needs to."""
    store = HubApplication(env, policy_text)
    aggregates = Aggregates(store)
    follower = Follower(store.recorder, store.mapper, background=serving)
    store.on_saved.append(follower.saved)  # what this process saved is neither decoded nor folded again
    views = AgencyViews(store, inline=not serving)
    dossiers = DossierCache(store, follower)
    directory = DirectoryService(aggregates, follower)
    reads = ReadService(store, aggregates, directory, views)
    answers = AnswerService(views, dossiers, reads)
    notices = NoticeProducer(
        packaged_notices(), directory, store.record_ids, WorkingCalendar.from_env(store.env), views, dossiers
    )
    commit = Commit(aggregates, answers, notices)  # every command's one transaction, with the notices it raises
    duplicates = DuplicateService(aggregates, views, store.child_keys)
    occupancy = Occupancy(views)  # a closed institution's children now, against its places (decision 0050)
    cases = CaseService(aggregates, directory, commit, occupancy)
    children = ChildService(aggregates, commit)
    consents = ConsentService(aggregates, directory, children, commit)
    statistics = StatisticsService(store, directory, views, reads)
    referrals = ReferralService(
        aggregates, directory, duplicates, commit, answers, AllegationIntake(directory, store.record_ids)
    )
    supporter = SupporterService(aggregates, dossiers, commit)
    tokens = TokenService(aggregates, directory, TokenLifetime.from_env(store.env))
    papers = CasePaperService(aggregates, directory, cases, commit)
    staff_files = StaffFileService(aggregates, reads, commit)
    answered_by = {**{rule: supporter.answer_request for rule in REQUEST_RULES},
                   **{rule: papers.answer_support_referral for rule in SUPPORT_REFERRAL_RULES}}
    blobs = blob_store(store.env, store.hub_tables)
    attachment_settings = AttachmentSettings.from_env(store.env)
    teams = TeamService(aggregates)
    return Hub(
        store=store,
        aggregates=aggregates,
        follower=follower,
        views=views,
        dossiers=dossiers,
        commit=commit,
        directory=directory,
        agency_keys=AgencyKeyService(aggregates, directory),
        tokens=tokens,
        reads=reads,
        glass=GlassService(aggregates, directory, views, dossiers, reads, OpeningsLimit(store.env)),
        duplicates=duplicates,
        child_search=ChildSearch(views, reads),
        referrals=referrals,
        cases=cases,
        children=children,
        consents=consents,
        medical=MedicalService(aggregates, directory, cases, consents, commit),
        transfers=TransferService(aggregates, directory, cases, dossiers, commit),
        teams=teams,
        reassignments=ReassignmentService(cases, teams),
        parental_rights=ParentalRightsService(cases),
        statistics=statistics,
        indicators=IndicatorService(store, views, statistics, reads, directory),
        inbox=InboxService(aggregates, directory, views, dossiers, reads, teams),
        escalation=EscalationService(aggregates, directory, views),
        erasure=ErasureService(store, aggregates, views, blobs),
        retention=RetentionService(store, views),
        integrity=IntegrityService(store),
        access_reports=AccessReportService(store, directory, views, dossiers, reads),
        audit_replay=AuditReplayService(store, aggregates, views, dossiers, reads),
        messages=MessageService(aggregates, directory, referrals, cases, supporter, commit),
        notices=NoticeService(aggregates, dossiers, commit, answered_by),
        deliveries=DeliveryService(aggregates),
        allegations=AllegationService(aggregates, directory, referrals, staff_files, commit),
        staff_files=staff_files,
        supporter=supporter,
        sign_in_links=SignInLinkService(
            aggregates, directory, tokens, LinkTable(Sql(store.recorder)), DeliverySettings.from_env(store.env),
            LinkLimits.from_env(store.env),
        ),
        attachments=AttachmentService(
            aggregates, answers, reads, commit, blobs, FileSealer(store.child_keys), VirusScan(attachment_settings),
            attachment_settings,
        ),
        visits=VisitService(store, aggregates, directory, views, reads),
        papers=papers,
        family=FamilyService(aggregates, answers, reads, views, dossiers, commit),
        survivors=SurvivorService(aggregates, referrals, answers),
        occupancy=occupancy,
        involvements=InvolvementService(aggregates, referrals, answers, reads, views, dossiers, commit),
    )
