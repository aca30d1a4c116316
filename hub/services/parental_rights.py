"""Proceedings to restrict, deprive or restore a parent's rights over the child (docs/decisions/0042).

The court hears them (cam-csc-manual §1 L81); the centre's care plan says when it applies (L831); the GTA and
the juvenile police prepare the materials and the prosecutor may apply (violence-system-evaluation S11, L1454).
The managing centre, the GTA, the prosecutor and the court of the centre's region record what they did; the
GTA and the prosecutor are told when proceedings start (hub/policy/notices.yaml hub:PARENTAL-RIGHTS).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from hub.actor import Actor
from hub.aggregates.case import Case
from hub.aggregates.case_people import ParentalRightsMeasure, ParentalRightsOutcome
from hub.aggregates.vocabulary import BodyKind
from hub.services.cases import CaseService
from hub.services.commit import Reply

PARENTAL_RIGHTS_BODIES = frozenset({BodyKind.GTA, BodyKind.PROSECUTOR, BodyKind.COURT})


class ParentalRightsService:
    def __init__(self, cases: CaseService) -> None:
        self.cases = cases

    def start(
        self, actor: Actor, case_id: UUID, proceedings_id: UUID, measure: ParentalRightsMeasure, parent: str,
        court: str | None, grounds: str, reply: Reply | None = None,
    ) -> Case:
        return self.cases.act(
            actor, case_id,
            lambda c: c.start_parental_rights(actor, proceedings_id, measure, parent, self._kind(actor), court, grounds),
            PARENTAL_RIGHTS_BODIES, reply=reply,
        )

    def _kind(self, actor: Actor) -> str:
        """The applicant's kind of body: the notices tell the others (hub/policy/notices.yaml hub:PARENTAL-RIGHTS)."""
        return str(self.cases.directory.agency(actor.agency).kind)

    def schedule_hearing(
        self, actor: Actor, case_id: UUID, proceedings_id: UUID, at: datetime, reply: Reply | None = None
    ) -> Case:
        return self.cases.act(
            actor, case_id, lambda c: c.schedule_parental_rights_hearing(actor, proceedings_id, at),
            PARENTAL_RIGHTS_BODIES, reply=reply,
        )

    def decide(
        self, actor: Actor, case_id: UUID, proceedings_id: UUID, outcome: ParentalRightsOutcome,
        decision_reference: str | None, reply: Reply | None = None,
    ) -> Case:
        return self.cases.act(
            actor, case_id, lambda c: c.decide_parental_rights(actor, proceedings_id, outcome, decision_reference),
            PARENTAL_RIGHTS_BODIES, reply=reply,
        )
