"""The NGO's side of an independent supporter (cam-csc-manual Part 9, ngo-services-manual §11; decision 0034).

The NGO a CAM/CSC asked for a supporter (the notice cam:N08) answers the request itself; once it has
accepted, it records its supporter's steps, sends the supporter's recommendations and the child's views to
the case manager, and records a mature child's declining the supporter. Each lands on the case (its clocks
D42-D44 and the notices to the manager are raised from those events). To any other body, and to an NGO that
did not accept the request, the case does not exist (404).
"""

from __future__ import annotations

from uuid import UUID

from hub.actor import Actor
from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import SupporterStep
from hub.aggregates.notice import Answer, Notice
from hub.aggregates.vocabulary import ViewsCapacity
from hub.errors import GuardViolation, NotFound
from hub.notices.rules import SUPPORTER_REQUEST_RULES as REQUEST_RULES
from hub.projections.dossier_cache import DossierCache
from hub.services.aggregates import Aggregates
from hub.services.commit import Commit, Reply
from hub.services.conflicts import retry_on_conflict

# What an answer to the request records on the case.
ANSWER_STEPS = {Answer.ACCEPT: SupporterStep.NGO_ACCEPTED, Answer.REFUSE: SupporterStep.NGO_DECLINED}
# The steps the NGO records after it accepted; its answer is recorded with the answer itself.
LATER_STEPS = (SupporterStep.SUPPORTER_CONTACTED, SupporterStep.FIRST_MEETING_HELD)


def take_later_step(actor: Actor, case: Case, step: SupporterStep, note: str | None) -> None:
    """A step after the NGO's answer, which is recorded only by answering the request's notice."""
    if step not in LATER_STEPS:
        raise GuardViolation("supporter-answer", "the NGO accepts or refuses by answering the request's notice", field="step")
    case.record_supporter_step(actor, step, note)


class SupporterService:
    def __init__(self, aggregates: Aggregates, dossiers: DossierCache, commit: Commit) -> None:
        self.aggregates = aggregates
        self.dossiers = dossiers
        self.commit = commit

    @retry_on_conflict
    def answer_request(
        self, actor: Actor, notice_id: UUID, answer: Answer, reasons: list[str], note: str | None,
        reply: Reply | None = None,
    ) -> Notice:
        """The NGO's answer to the request (cam N09, D42): accepting or refusing (with reasons) also records the
        step on the case, in the same transaction; a question leaves the request open."""
        notice = self.aggregates.find(notice_id)
        if not isinstance(notice, Notice) or notice.recipient_agency != actor.agency or notice.rule not in REQUEST_RULES:
            raise NotFound(f"no notice {notice_id}")
        notice.give_answer(actor, answer, reasons, note)
        step = ANSWER_STEPS.get(answer)
        if step is None:
            self.commit(actor, notice, reply=reply)
            return notice
        case = self.aggregates.load(Case, notice.subject_id, "case")
        case.record_supporter_step(actor, step, "; ".join([*notice.answer_reasons, *([note] if note else [])]) or None)
        self.commit(actor, notice, case, reply=reply)
        return notice

    def supported(self, actor: Actor, case_id: UUID) -> Case:
        """The case, for the NGO that accepted the supporter request on it; to anyone else it does not exist."""
        case = self.aggregates.find(case_id)
        if not isinstance(case, Case):
            raise NotFound(f"no case {case_id}")
        unit = self.aggregates.unit()  # a Kafka poll's earlier message may be the NGO's acceptance (0028)
        with self.dossiers.dossier(case.child_id, unit.of_child(case.child_id) if unit is not None else ()) as dossier:
            accepted = dossier is not None and any(
                n.rule in REQUEST_RULES and n.subject_id == case_id and n.recipient_agency == actor.agency
                and n.answer == Answer.ACCEPT
                for n in dossier.notices
            )
        if not accepted:
            raise NotFound(f"no case {case_id}")
        return case

    @retry_on_conflict
    def record_step(
        self, actor: Actor, case_id: UUID, step: SupporterStep, note: str | None, reply: Reply | None = None
    ) -> Case:
        """The supporter contacted the manager (cam N10, D43), or met the child (D44)."""
        case = self.supported(actor, case_id)
        take_later_step(actor, case, step, note)
        self.commit(actor, case, reply=reply)
        return case

    @retry_on_conflict
    def recommend(self, actor: Actor, case_id: UUID, text: str, reply: Reply | None = None) -> Case:
        """The supporter's recommendation to involve other bodies (cam N45, ngo N17), to the case manager."""
        case = self.supported(actor, case_id)
        case.issue_supporter_recommendation(actor, text)
        self.commit(actor, case, reply=reply)
        return case

    @retry_on_conflict
    def submit_views(
        self, actor: Actor, case_id: UUID, capacity: ViewsCapacity, views: str, supporter_view: str | None,
        reasons: str | None, reply: Reply | None = None,
    ) -> Case:
        """The child's views, wishes and feelings, and any differing view of the supporter (ngo N18, P-14)."""
        case = self.supported(actor, case_id)
        case.submit_child_views(actor, str(capacity), views, supporter_view, reasons)
        self.commit(actor, case, reply=reply)
        return case

    @retry_on_conflict
    def child_declined(self, actor: Actor, case_id: UUID, note: str | None, reply: Reply | None = None) -> Case:
        """A mature child declined the supporter (cam N11, ngo N11, D39): the case manager is told."""
        case = self.supported(actor, case_id)
        case.record_child_declined_supporter(actor, note)
        self.commit(actor, case, reply=reply)
        return case
