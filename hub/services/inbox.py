"""The inbox of the body that receives referrals and manages cases: queues, sorting, pages."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

from hub import clock
from hub.actor import Actor
from hub.aggregates.access_record import AccessOutcome, AccessRecord
from hub.errors import InvalidInput
from hub.inbox.clocks import clocks_of
from hub.inbox.item import utc_iso
from hub.inbox.store import QUEUES, RISK_LEVELS, SORTS, Page
from hub.projections.agency_views import AgencyViews
from hub.projections.dossier_cache import DossierCache
from hub.services.aggregates import Aggregates
from hub.services.directory import DirectoryService
from hub.services.reads import ReadService
from hub.services.statistics import STATISTICS
from hub.services.teams import TeamService

MAX_PAGE = 200


class InboxService:
    def __init__(
        self, aggregates: Aggregates, directory: DirectoryService, views: AgencyViews, dossiers: DossierCache,
        reads: ReadService, teams: TeamService,
    ) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self.views = views
        self.dossiers = dossiers
        self.reads = reads
        self.teams = teams

    def inbox(
        self,
        actor: Actor,
        queue: str = "all",
        sort: str = "due_at",
        descending: bool = False,
        limit: int = 50,
        cursor: str | None = None,
        risk: str | None = None,
    ) -> Page:
        if queue not in QUEUES:
            raise InvalidInput("queue", "unknown queue %(queue)r; queues: %(queues)s",
                               values={"queue": queue, "queues": ", ".join(QUEUES)})
        if sort not in SORTS:
            raise InvalidInput("sort", "unknown sort %(sort)r; sorts: %(sorts)s",
                               values={"sort": sort, "sorts": ", ".join(SORTS)})
        if risk is not None and risk not in RISK_LEVELS:
            raise InvalidInput("risk", "unknown risk level %(risk)r; levels: %(levels)s",
                               values={"risk": risk, "levels": ", ".join(RISK_LEVELS)})
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidInput("limit", "a page holds 1 to %(most)s items", values={"most": MAX_PAGE})
        self.views.current()
        now = clock.now()
        params: dict[str, list[Any]] = {
            "mine": [actor.user],
            "team": self.teams.members(actor.agency, actor.user),
            "due_soon": [utc_iso(now), utc_iso(now)],
            "overdue": [utc_iso(now)],
        }
        try:
            page = self.views.inbox.page(
                actor.agency, queue, params.get(queue, []), sort, descending, limit, cursor, risk
            )
        except (ValueError, TypeError):
            raise InvalidInput("cursor", "this cursor does not come from a previous page") from None
        if page.items:
            self.aggregates.save(
                AccessRecord(
                    actor=actor, child_id=None, record_type="inbox", record_id=uuid5(STATISTICS, queue),
                    fields=["child_name", "state", "deadline"], rules=["P-07", "RECIPIENT"],
                    outcome=str(AccessOutcome.GRANTED), purpose=f"inbox:{queue}",
                    items=[[i.child_id, i.item_type, i.item_id] for i in page.items],
                )
            )
        return page

    def clocks_of(self, actor: Actor, record_type: str, record_id: UUID) -> list[dict[str, Any]]:
        """The deadlines of a referral, case or notice the caller may see, each with the rule that sets it."""
        self.reads.show(actor, record_type, record_id, purpose="deadlines")  # 404 to a body that may not see it
        row = self.views.store.row(actor.agency, record_type, record_id)  # whose record it is, shown or not
        if row is None:
            return []
        with self.dossiers.dossier(UUID(row.child_id)) as dossier:
            held: dict[str, list[Any]] = {} if dossier is None else {
                "case": dossier.cases, "referral": dossier.referrals, "notice": dossier.notices
            }
            subjects = held.get(record_type, [])
            subject = next((s for s in subjects if s.id == record_id), None)
            if dossier is None or subject is None:
                return []
            return [
                {"id": c.id, "title": c.title, "rule": c.rule, "who": c.who, "limit": c.limit,
                 "started_at": c.started_at, "due_at": c.due_at, "met_at": c.met_at, "status": str(c.status)}
                for c in clocks_of(subject, dossier, clock.now(), self._kind_of(_body_of(subject)))
            ]

    def _kind_of(self, code: str | None) -> str | None:
        agency = self.directory.find_agency(code) if code else None
        return str(agency.kind) if agency else None


def _body_of(subject: Any) -> str:
    """The body that must act on a referral or a notice (its recipient) or a case (its manager)."""
    return subject.managing_agency if hasattr(subject, "managing_agency") else subject.recipient_agency
