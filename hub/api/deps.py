"""The services a route uses, as typed FastAPI dependencies: ``referrals: Referrals`` in a signature.

Each resolves to the one instance the composition root (hub/bootstrap.py) built for
the application; resolving it is an attribute read, so it runs on the event loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from adapters.apply import MessageService
from hub.bootstrap import Hub
from hub.services.access_reports import AccessReportService
from hub.services.agency_keys import AgencyKeyService
from hub.services.allegations import AllegationService
from hub.services.attachments import AttachmentService
from hub.services.audit_replay import AuditReplayService
from hub.services.case_papers import CasePaperService
from hub.services.cases import CaseService
from hub.services.child_search import ChildSearch
from hub.services.children import ChildService
from hub.services.consents import ConsentService
from hub.services.directory import DirectoryService
from hub.services.family import FamilyService
from hub.services.glass import GlassService
from hub.services.inbox import InboxService
from hub.services.indicators import IndicatorService
from hub.services.involvements import InvolvementService
from hub.services.medical import MedicalService
from hub.services.notices import NoticeService
from hub.services.occupancy import Occupancy
from hub.services.parental_rights import ParentalRightsService
from hub.services.reads import ReadService
from hub.services.reassignments import ReassignmentService
from hub.services.referrals import ReferralService
from hub.services.sign_in_links import SignInLinkService
from hub.services.staff_files import StaffFileService
from hub.services.statistics import StatisticsService
from hub.services.supporter import SupporterService
from hub.services.survivors import SurvivorService
from hub.services.teams import TeamService
from hub.services.tokens import TokenService
from hub.services.transfers import TransferService
from hub.services.visits import VisitService


def hub_of(request: Request) -> Hub:
    return request.app.state.hub


def _service(name: str) -> Callable[[Request], Awaitable[Any]]:
    async def service(request: Request) -> Any:
        return getattr(hub_of(request), name)

    service.__name__ = name
    return service


Referrals = Annotated[ReferralService, Depends(_service("referrals"))]
Cases = Annotated[CaseService, Depends(_service("cases"))]
Children = Annotated[ChildService, Depends(_service("children"))]
ChildFinder = Annotated[ChildSearch, Depends(_service("child_search"))]
Consents = Annotated[ConsentService, Depends(_service("consents"))]
Medical = Annotated[MedicalService, Depends(_service("medical"))]
Papers = Annotated[CasePaperService, Depends(_service("papers"))]
Transfers = Annotated[TransferService, Depends(_service("transfers"))]
Teams = Annotated[TeamService, Depends(_service("teams"))]
Reassignments = Annotated[ReassignmentService, Depends(_service("reassignments"))]
ParentalRights = Annotated[ParentalRightsService, Depends(_service("parental_rights"))]
Reads = Annotated[ReadService, Depends(_service("reads"))]
Glass = Annotated[GlassService, Depends(_service("glass"))]
Directory = Annotated[DirectoryService, Depends(_service("directory"))]
AgencyKeys = Annotated[AgencyKeyService, Depends(_service("agency_keys"))]
Tokens = Annotated[TokenService, Depends(_service("tokens"))]
SignInLinks = Annotated[SignInLinkService, Depends(_service("sign_in_links"))]
Statistics = Annotated[StatisticsService, Depends(_service("statistics"))]
Indicators = Annotated[IndicatorService, Depends(_service("indicators"))]
Inbox = Annotated[InboxService, Depends(_service("inbox"))]
AccessReports = Annotated[AccessReportService, Depends(_service("access_reports"))]
AuditReplay = Annotated[AuditReplayService, Depends(_service("audit_replay"))]
Messages = Annotated[MessageService, Depends(_service("messages"))]
Notices = Annotated[NoticeService, Depends(_service("notices"))]
Allegations = Annotated[AllegationService, Depends(_service("allegations"))]
Supporter = Annotated[SupporterService, Depends(_service("supporter"))]
Attachments = Annotated[AttachmentService, Depends(_service("attachments"))]
Visits = Annotated[VisitService, Depends(_service("visits"))]
StaffFiles = Annotated[StaffFileService, Depends(_service("staff_files"))]
Family = Annotated[FamilyService, Depends(_service("family"))]
Involvements = Annotated[InvolvementService, Depends(_service("involvements"))]
Occupancies = Annotated[Occupancy, Depends(_service("occupancy"))]
Survivors = Annotated[SurvivorService, Depends(_service("survivors"))]
