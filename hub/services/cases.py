"""CAM/CSC case management commands (cam-csc-manual §3.3-3.4).

A case is managed by one CAM/CSC; it is invisible to every other agency except
for the facets the manuals give them (placements are the GTA's and the CIM's,
charges come from the police and the prosecutor).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.case import Case
from hub.aggregates.case_facets import Placed
from hub.aggregates.case_people import RiskLevel
from hub.aggregates.case_plan import PlanItem, PlanRole
from hub.aggregates.case_vocabulary import (
    CarePlanApprover,
    CarePlanReviewOutcome,
    InitialAssessmentOutcome,
    IntakeAction,
    MeetingKind,
    MeetingRecommendation,
    PlanReviewOutcome,
    SocialAssessmentConclusion,
    TransitionOutcome,
)
from hub.aggregates.child import Child, ChildFacts
from hub.aggregates.vocabulary import BodyKind, PlacementType
from hub.errors import GuardViolation, InvalidInput, NotFound
from hub.geography.units import geography
from hub.services.aggregates import Aggregates
from hub.services.commit import Commit, Reply
from hub.services.conflicts import refuse_on_conflict, retry_on_conflict
from hub.services.directory import DirectoryService
from hub.services.occupancy import Occupancy

MANAGER = frozenset({BodyKind.CAM, BodyKind.CSC})
PLACEMENT_BODIES = frozenset({BodyKind.GTA, BodyKind.CIM, BodyKind.JUVENILE_POLICE})
PROCEEDINGS_BODIES = frozenset({BodyKind.POLICE_INVESTIGATION, BodyKind.JUVENILE_POLICE, BodyKind.PROSECUTOR})
APPROVER_BODY = {CarePlanApprover.GTA: BodyKind.GTA, CarePlanApprover.CIM: BodyKind.CIM}


class CaseService:
    def __init__(self, aggregates: Aggregates, directory: DirectoryService, commit: Commit, occupancy: Occupancy) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self.commit = commit
        self.occupancy = occupancy

    def case_for(self, actor: Actor, case_id: UUID, partners: Iterable[BodyKind] = ()) -> Case:
        """The case if the actor's agency manages it, or is a partner body of the same region."""
        case = self.aggregates.load(Case, case_id, "case")
        if actor.agency == case.managing_agency:
            return case
        mine, manager = self.directory.agency(actor.agency), self.directory.agency(case.managing_agency)
        if mine.kind in set(partners) and geography().region_of(mine.unit) == geography().region_of(manager.unit):
            return case
        raise NotFound(f"no case {case_id}")

    def child_facts(self, case: Case) -> ChildFacts:
        return ChildFacts.of(self.aggregates.load(Child, case.child_id, "child"), clock.now().date())

    @retry_on_conflict
    def act(
        self,
        actor: Actor,
        case_id: UUID,
        act: Callable[[Case], None],
        partners: Iterable[BodyKind] = (),
        reply: Reply | None = None,
    ) -> Case:
        """Records what happened: run again on the case as it is now if another change won the race."""
        return self._apply(actor, case_id, act, partners, reply)

    @refuse_on_conflict
    def decide(self, actor: Actor, case_id: UUID, decide: Callable[[Case], None], reply: Reply | None = None) -> Case:
        """Decides the case's course, on the case as its manager saw it: refused (409) if it changed meanwhile."""
        return self._apply(actor, case_id, decide, (), reply)

    def _apply(
        self,
        actor: Actor,
        case_id: UUID,
        change: Callable[[Case], None],
        partners: Iterable[BodyKind],
        reply: Reply | None,
    ) -> Case:
        case = self.case_for(actor, case_id, partners)
        change(case)
        self.commit(actor, case, reply=reply)
        return case

    def record_intake_action(
        self, actor: Actor, case_id: UUID, action: IntakeAction, note: str | None, reply: Reply | None = None
    ) -> Case:
        return self.act(actor, case_id, lambda c: c.record_intake_action(actor, action, note), reply=reply)

    def report_emergency(self, actor: Actor, case_id: UUID, description: str, reply: Reply | None = None) -> Case:
        return self.act(actor, case_id, lambda c: c.report_emergency(actor, description), reply=reply)

    def assign_social_worker(
        self, actor: Actor, case_id: UUID, social_worker: str, evidence_of_harm: bool, reply: Reply | None = None
    ) -> Case:
        return self.decide(
            actor, case_id, lambda c: c.assign_social_worker(actor, social_worker, evidence_of_harm), reply=reply
        )

    def conclude_initial_assessment(
        self,
        actor: Actor,
        case_id: UUID,
        outcome: InitialAssessmentOutcome,
        summary: str,
        follow_up: str | None,
        reply: Reply | None = None,
    ) -> Case:
        return self.decide(
            actor, case_id, lambda c: c.conclude_initial_assessment(actor, outcome, summary, follow_up), reply=reply
        )

    def record_charge(
        self, actor: Actor, case_id: UUID, charge_id: UUID, person: str, offence: str, reply: Reply | None = None
    ) -> Case:
        return self.act(
            actor,
            case_id,
            lambda c: c.record_charge(actor, charge_id, person, offence),
            PROCEEDINGS_BODIES,
            reply=reply,
        )

    def record_criminal_outcome(
        self, actor: Actor, case_id: UUID, charge_id: UUID, found_responsible: bool, reply: Reply | None = None
    ) -> Case:
        return self.act(
            actor,
            case_id,
            lambda c: c.record_criminal_outcome(actor, charge_id, found_responsible),
            PROCEEDINGS_BODIES,
            reply=reply,
        )

    def record_support_referral_outcome(
        self,
        actor: Actor,
        case_id: UUID,
        provider: str,
        accepted: bool,
        reason: str | None,
        follow_up: str | None,
        reply: Reply | None = None,
    ) -> Case:
        return self.decide(
            actor,
            case_id,
            lambda c: c.record_support_referral_outcome(actor, provider, accepted, reason, follow_up),
            reply=reply,
        )

    def conclude_social_assessment(
        self,
        actor: Actor,
        case_id: UUID,
        conclusion: SocialAssessmentConclusion,
        summary: str,
        follow_up: str | None,
        reply: Reply | None = None,
    ) -> Case:
        return self.decide(
            actor,
            case_id,
            lambda c: c.conclude_social_assessment(actor, conclusion, summary, self.child_facts(c), follow_up),
            reply=reply,
        )

    def hold_protection_meeting(
        self,
        actor: Actor,
        case_id: UUID,
        recommendation: MeetingRecommendation,
        minutes: str,
        follow_up: str | None,
        reply: Reply | None = None,
        professional_discussion: str | None = None,
    ) -> Case:
        return self.decide(
            actor,
            case_id,
            lambda c: c.hold_protection_meeting(
                actor, recommendation, minutes, self.child_facts(c), follow_up, professional_discussion
            ),
            reply=reply,
        )

    def finalise_protection_plan(
        self,
        actor: Actor,
        case_id: UUID,
        plan: str,
        parent_agreed: bool,
        foreign_case_manager: str | None,
        items: Sequence[PlanItem] = (),
        reply: Reply | None = None,
    ) -> Case:
        self._check_responsible(items)
        return self.decide(
            actor,
            case_id,
            lambda c: c.finalise_protection_plan(
                actor, plan, parent_agreed, foreign_case_manager, self.child_facts(c), items),
            reply=reply,
        )

    def review_protection_plan(
        self,
        actor: Actor,
        case_id: UUID,
        outcome: PlanReviewOutcome,
        minutes: str,
        follow_up: str | None,
        reply: Reply | None = None,
    ) -> Case:
        return self.decide(
            actor, case_id, lambda c: c.review_protection_plan(actor, outcome, minutes, follow_up), reply=reply
        )

    def amend_plan(
        self, actor: Actor, case_id: UUID, plan: str, items: Sequence[PlanItem] = (), reply: Reply | None = None
    ) -> Case:
        self._check_responsible(items)
        return self.decide(actor, case_id, lambda c: c.amend_plan(actor, plan, items), reply=reply)

    def _check_responsible(self, items: Sequence[PlanItem]) -> None:
        """A body responsible for an item is one the hub knows: it is told of its items (docs/decisions/0052)."""
        for item in items:
            if item.by_a_body and self.directory.find_agency(item.responsible) is None:
                raise GuardViolation(
                    "plan-item-responsible",
                    "%(responsible)s is neither a registered body nor one of %(roles)s",
                    values={"responsible": item.responsible, "roles": ", ".join(PlanRole)},
                    field="items",
                )

    def confirm_safe_arrival(
        self, actor: Actor, case_id: UUID, confirmed_by: str, follow_up: str | None, reply: Reply | None = None
    ) -> Case:
        # The manager records the foreign case manager's confirmation (T25, L3546-3551).
        return self.decide(
            actor, case_id, lambda c: c.confirm_safe_arrival(actor, confirmed_by, follow_up), reply=reply
        )

    def develop_care_plan(
        self, actor: Actor, case_id: UUID, plan: str, approvers: list[CarePlanApprover], items: Sequence[PlanItem] = (),
        reply: Reply | None = None,
    ) -> Case:
        self._check_responsible(items)
        return self.decide(actor, case_id, lambda c: c.develop_care_plan(actor, plan, approvers, items), reply=reply)

    def approve_care_plan(
        self, actor: Actor, case_id: UUID, approver: CarePlanApprover, reply: Reply | None = None
    ) -> Case:
        def approve(case: Case) -> None:
            required = APPROVER_BODY.get(approver)
            kind = self.directory.agency(actor.agency).kind
            if required is not None and kind != required:
                raise GuardViolation(
                    "approver-body", "only the %(required)s signs as %(approver)s",
                    values={"required": required, "approver": approver}, field="approver", status=403
                )
            if required is None and actor.agency != case.managing_agency:
                raise GuardViolation(
                    "approver-body", "the case manager records the %(approver)s's signature",
                    values={"approver": approver}, status=403
                )
            case.approve_care_plan(actor, approver)

        return self.act(actor, case_id, approve, {BodyKind.GTA, BodyKind.CIM}, reply=reply)

    def review_care_plan(
        self, actor: Actor, case_id: UUID, outcome: CarePlanReviewOutcome, minutes: str, reply: Reply | None = None
    ) -> Case:
        return self.decide(
            actor, case_id, lambda c: c.review_care_plan(actor, outcome, minutes, self.child_facts(c)), reply=reply
        )

    def complete_transition(
        self,
        actor: Actor,
        case_id: UUID,
        outcome: TransitionOutcome,
        receiving_body: str | None,
        reply: Reply | None = None,
    ) -> Case:
        return self.decide(
            actor,
            case_id,
            lambda c: c.complete_transition(actor, outcome, receiving_body, self.child_facts(c)),
            reply=reply,
        )

    def record_follow_up(
        self, actor: Actor, case_id: UUID, month: int, concern: bool, notes: str, reply: Reply | None = None
    ) -> Case:
        return self.act(actor, case_id, lambda c: c.record_follow_up(actor, month, concern, notes), reply=reply)

    def reassess_after_follow_up(self, actor: Actor, case_id: UUID, reason: str, reply: Reply | None = None) -> Case:
        return self.decide(actor, case_id, lambda c: c.reassess_after_follow_up(actor, reason), reply=reply)

    def close_after_monitoring(
        self, actor: Actor, case_id: UUID, follow_up: str | None, reply: Reply | None = None
    ) -> Case:
        return self.decide(actor, case_id, lambda c: c.close_after_monitoring(actor, follow_up), reply=reply)

    def assess_risk(
        self, actor: Actor, case_id: UUID, level: RiskLevel, reasons: list[str], reply: Reply | None = None
    ) -> Case:
        # A level set or changed (vse §4.4, S3; docs/decisions/0042): recorded as seen now, whoever set it last.
        return self.act(actor, case_id, lambda c: c.assess_risk(actor, level, reasons), reply=reply)

    def record_placement(
        self, actor: Actor, case_id: UUID, placement: PlacementType, decision_reference: str,
        institution: str | None = None, unit: str | None = None, reply: Reply | None = None,
    ) -> Case:
        """``institution``: the closed institution the child is placed in; ``unit``: where, when it names none."""
        def place(case: Case) -> None:
            case.record_placement(
                actor, self.directory.agency(actor.agency).kind, placement, decision_reference,
                self._placed_where(case, institution, unit),
            )

        return self.act(actor, case_id, place, PLACEMENT_BODIES, reply=reply)

    def _placed_where(self, case: Case, code: str | None, unit: str | None) -> Placed | None:
        """Where a placement puts the child: a closed institution, or a unit (decision 0040). One into an institution
        that is closed or has no place left is recorded, never refused - an emergency placement must not fail
        silently - and flagged on the event, which tells the GTA and the Ombudsman (decision 0050)."""
        kind, closed, full = None, False, False
        if code is not None:
            institution = self.directory.agency(code, field="institution")
            if not institution.is_institution:
                raise InvalidInput("institution", "%(code)r is a %(kind)s, not a closed institution",
                                   values={"code": code, "kind": institution.kind},
                                   problem_type="not-an-institution")
            if unit is not None and unit != institution.unit:
                raise InvalidInput("unit", "%(code)r is in unit %(its_unit)s, not %(unit)s",
                                   values={"code": code, "its_unit": institution.unit, "unit": unit})
            kind, unit, closed = str(institution.kind), institution.unit, not institution.is_open
            full = institution.capacity is not None and self.occupancy.of(code, besides=case.id) >= institution.capacity
        if unit is None:
            return None
        home = self.aggregates.load(Child, case.child_id, "child").identity.get("city")
        out_of_region = home is not None and geography().region_of(home) != geography().region_of(unit)
        return Placed(code, kind, unit, out_of_region, institution_closed=closed, beyond_capacity=full)

    def review_placement(self, actor: Actor, case_id: UUID, minutes: str, reply: Reply | None = None) -> Case:
        # The manager convenes the review with the GTA and the CIM (D18) or the institution (D33).
        return self.decide(actor, case_id, lambda c: c.review_placement(actor, minutes), reply=reply)

    # The steps that tell other bodies (docs/decisions/0037): their notices are raised on the events recorded.

    def decide_removal(self, actor: Actor, case_id: UUID, reasons: str, reply: Reply | None = None) -> Case:
        return self.decide(actor, case_id, lambda c: c.decide_removal(actor, reasons), reply=reply)

    def recommend_placement(
        self, actor: Actor, case_id: UUID, placement: PlacementType, reasons: str, tell_cim: bool,
        reply: Reply | None = None,
    ) -> Case:
        return self.decide(
            actor, case_id, lambda c: c.recommend_placement(actor, placement, reasons, tell_cim), reply=reply
        )

    def schedule_meeting(
        self, actor: Actor, case_id: UUID, meeting_id: UUID, meeting: MeetingKind, at: datetime, venue: str,
        invitees: list[str], reply: Reply | None = None,
    ) -> Case:
        def schedule(case: Case) -> None:
            self._check_invitees(case, invitees)
            case.schedule_meeting(actor, meeting_id, meeting, at, venue, invitees)

        return self.act(actor, case_id, schedule, reply=reply)

    def reject_recommendations(
        self, actor: Actor, case_id: UUID, meeting_id: UUID, recommendations: str, reasons: str,
        reply: Reply | None = None,
    ) -> Case:
        return self.decide(
            actor, case_id, lambda c: c.reject_recommendations(actor, meeting_id, recommendations, reasons), reply=reply
        )

    def approve_family_tracing(
        self, actor: Actor, case_id: UUID, best_interests: str, risk_checked: bool, reply: Reply | None = None
    ) -> Case:
        return self.decide(
            actor, case_id, lambda c: c.approve_family_tracing(actor, best_interests, risk_checked), reply=reply
        )

    def _check_invitees(self, case: Case, invitees: list[str]) -> None:
        """An invitee is a registered body of the centre's region (a notice goes to it), never the centre itself."""
        region = geography().region_of(self.directory.agency(case.managing_agency).unit)
        for code in invitees:
            agency = self.directory.find_agency(code)
            if agency is None or geography().region_of(agency.unit) != region or code == case.managing_agency:
                raise GuardViolation(
                    "invitee-unknown", "%(code)s is not a body of the centre's region it can invite",
                    values={"code": code}, field="invitees"
                )
