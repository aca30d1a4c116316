"""The social worker of a case changes after intake: asked with a reason, approved or declined by whoever
allocates the worker's cases (docs/decisions/0042).

The Manager allocates work to the social workers (cam-csc-manual §1.2 L112); a supervisor does so for its team,
as recorded by the centre's head (hub/aggregates/team.py). A request by one who may approve it is approved in the
same transaction; anyone else's waits. Approval moves "mine" in the inbox to the new worker.
"""

from __future__ import annotations

from uuid import UUID

from hub.actor import Actor
from hub.aggregates.case import Case
from hub.errors import GuardViolation
from hub.services.cases import CaseService
from hub.services.commit import Reply
from hub.services.teams import TeamService

MANAGER, SUPERVISOR = "manager", "supervisor"


class ReassignmentService:
    def __init__(self, cases: CaseService, teams: TeamService) -> None:
        self.cases = cases
        self.teams = teams

    def request(self, actor: Actor, case_id: UUID, to_worker: str, reason: str, reply: Reply | None = None) -> Case:
        return self.cases.decide(
            actor, case_id, lambda c: c.request_reassignment(actor, to_worker, reason, self._allocates(actor, c)),
            reply=reply,
        )

    def approve(self, actor: Actor, case_id: UUID, reply: Reply | None = None) -> Case:
        def approve(case: Case) -> None:
            self._check_allocates(actor, case)
            case.approve_reassignment(actor)

        return self.cases.decide(actor, case_id, approve, reply=reply)

    def decline(self, actor: Actor, case_id: UUID, reasons: list[str], reply: Reply | None = None) -> Case:
        def decline(case: Case) -> None:
            self._check_allocates(actor, case)
            case.decline_reassignment(actor, reasons)

        return self.cases.decide(actor, case_id, decline, reply=reply)

    def _allocates(self, actor: Actor, case: Case) -> bool:
        """The Manager, or the supervisor whose team the case's current worker is in."""
        if actor.role == MANAGER:
            return True
        return actor.role == SUPERVISOR and case.social_worker in self.teams.members(actor.agency, actor.user)

    def _check_allocates(self, actor: Actor, case: Case) -> None:
        if not self._allocates(actor, case):
            raise GuardViolation(
                "not-your-team", "only the Manager or the supervisor of the current social worker's team answers",
                status=403,
            )
