"""A case moves to another region's managing centre: asked by the sending centre's manager, accepted or
declined by the receiving centre's (docs/decisions/0039).

The receiving centre is told by the notice ``hub:TRANSFER`` (hub/policy/notices.yaml), on its clock; accepting
or declining answers it, and a decline, as every refusal, tells the sender (``hub:REFUSED``). Acceptance moves
the case and the child: the policy's conditions then give each body what it may see.
"""

from __future__ import annotations

from uuid import UUID

from hub.actor import Actor
from hub.aggregates.case import Case
from hub.aggregates.child import Child
from hub.aggregates.notice import Answer, Notice
from hub.errors import InvalidInput, NotFound
from hub.geography.units import geography
from hub.projections.dossier_cache import DossierCache
from hub.services.aggregates import Aggregates
from hub.services.cases import MANAGER, CaseService
from hub.services.commit import Commit, Reply
from hub.services.conflicts import refuse_on_conflict
from hub.services.directory import DirectoryService

TRANSFER_NOTICE = "hub:TRANSFER"


class TransferService:
    def __init__(
        self, aggregates: Aggregates, directory: DirectoryService, cases: CaseService, dossiers: DossierCache,
        commit: Commit,
    ) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self.cases = cases
        self.dossiers = dossiers
        self.commit = commit

    def request(
        self, actor: Actor, case_id: UUID, to_agency: str, unit: str, reason: str, reply: Reply | None = None
    ) -> Case:
        place = geography().find(unit)
        if place is None:
            raise InvalidInput("unit", "%(unit)s is not a unit of hub/geography/units.yaml (GET /v1/places)",
                               values={"unit": unit})
        receiving = self.directory.find_agency(to_agency)
        if receiving is None or receiving.kind not in MANAGER:
            raise InvalidInput("to_agency", "%(to_agency)s is not a registered CAM or CSC", values={"to_agency": to_agency},
                               problem_type="transfer-not-a-centre")
        if not geography().contains(receiving.unit, place.code):
            raise InvalidInput("unit", "%(to_agency)s does not work in %(code)s: name a centre of the child's new unit",
                               values={"to_agency": to_agency, "code": place.code}, problem_type="transfer-outside-its-area")
        return self.cases.decide(
            actor, case_id, lambda c: c.request_transfer(actor, to_agency, place.code, reason), reply=reply
        )

    @refuse_on_conflict
    def accept(self, actor: Actor, case_id: UUID, reply: Reply | None = None) -> Case:
        case = self._asked_of(actor, case_id)
        unit = case.accept_transfer(actor)
        child = self.aggregates.load(Child, case.child_id, "child")
        child.move_to(actor, unit)
        self.commit(actor, case, child, *self._answered(actor, case, Answer.ACCEPT, []), reply=reply)
        return case

    @refuse_on_conflict
    def decline(self, actor: Actor, case_id: UUID, reasons: list[str], reply: Reply | None = None) -> Case:
        case = self._asked_of(actor, case_id)
        case.decline_transfer(actor, reasons)
        self.commit(actor, case, *self._answered(actor, case, Answer.REFUSE, case.transfers[-1]["decline_reasons"]),
                    reply=reply)
        return case

    def _asked_of(self, actor: Actor, case_id: UUID) -> Case:
        """The case, to a centre a transfer of it was ever asked of; to any other body it does not exist."""
        case = self.aggregates.find(case_id)
        if not isinstance(case, Case) or all(t["to_agency"] != actor.agency for t in case.transfers):
            raise NotFound(f"no case {case_id}")
        return case

    def _answered(self, actor: Actor, case: Case, answer: Answer, reasons: list[str]) -> list[Notice]:
        """The open transfer notices of the case addressed to the caller, answered by its decision."""
        with self.dossiers.dossier(case.child_id) as dossier:
            asked = [n.id for n in (dossier.notices if dossier is not None else [])
                     if n.rule == TRANSFER_NOTICE and n.subject_id == case.id and n.recipient_agency == actor.agency
                     and n.is_open]
        notices = [self.aggregates.load(Notice, notice_id, "notice") for notice_id in asked]
        for notice in notices:
            notice.answer_by_step(actor, answer, reasons)
        return notices
