"""Facets of a case that run beside its main lifecycle (cam-csc-manual §3.4).

Intake actions, emergencies, criminal proceedings against a parent and the
child's placement each change independently of the case state; the case
lifecycle reads them in its guards (e.g. no closure while a charge is pending).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.case_telling import CaseTelling
from hub.aggregates.case_vocabulary import OPEN_STATES, IntakeAction, SupporterStep
from hub.aggregates.vocabulary import PLACEMENT_DECIDERS, BodyKind, PlacementType
from hub.errors import GuardViolation


@dataclass(frozen=True)
class Placed:
    """Where a placement puts the child: the closed institution it names (if any), the unit, and whether that
    lies outside the child's home region (decision 0040)."""

    institution: str | None
    institution_kind: str | None
    unit: str
    out_of_region: bool
    institution_closed: bool = False  # placed although the institution is closed (decision 0050)
    beyond_capacity: bool = False  # placed although its places were all taken (decision 0050)


class CaseFacets(CaseTelling):
    def _init_facets(self) -> None:
        self._init_telling()
        self.intake_actions: dict[IntakeAction, datetime] = {}
        self.emergency_reported_at: datetime | None = None
        self.removed_at: datetime | None = None
        self.charges: dict[UUID, dict] = {}
        self.placement: PlacementType | None = None
        self.placement_since: datetime | None = None
        self.placement_history: list[dict] = []
        self.placement_institution: str | None = None  # the closed institution the child is placed in (0040)
        self.placement_unit: str | None = None  # where the child is placed, when the placement says (0040)
        self.legal_bases: dict[str, dict] = {}
        self.medical_examinations: dict[UUID, dict] = {}
        self.placement_reviews: list[datetime] = []
        self.supporter_steps: dict[SupporterStep, datetime] = {}
        self.supporter_declined_at: datetime | None = None

    # Intake (8.1.3): each action is recorded once, when it is done.

    def record_intake_action(self, actor: Actor, action: IntakeAction, note: str | None) -> None:
        self.require_state("record_intake_action", OPEN_STATES)
        if action in self.intake_actions:
            raise GuardViolation("intake-action-recorded", "%(action)s was already recorded",
                                 values={"action": action}, field="action")
        self._intake_action_recorded(actor=actor, action=str(action), note=note)

    @event("IntakeActionRecorded")
    def _intake_action_recorded(self, actor: Actor, action: str, note: str | None) -> None:
        self.intake_actions[IntakeAction(action)] = self.modified_on

    # Emergency (8.2): imminent danger to the child's life or health.

    def report_emergency(self, actor: Actor, description: str) -> None:
        self.require_state("report_emergency", OPEN_STATES)
        if not description.strip():
            raise GuardViolation("description-required", "describe the danger", field="description")
        self._emergency_reported(actor=actor, description=description.strip())

    @event("EmergencyReported")
    def _emergency_reported(self, actor: Actor, description: str) -> None:
        self.emergency_reported_at = self.modified_on

    # Criminal or administrative proceedings against a parent or legal representative (8.5.6).

    @property
    def charge_pending(self) -> bool:
        return any(c["outcome"] is None for c in self.charges.values())

    def record_charge(self, actor: Actor, charge_id: UUID, person: str, offence: str) -> None:
        self.require_state("record_charge", OPEN_STATES)
        if charge_id in self.charges:
            raise GuardViolation("charge-recorded", "this charge is already recorded", field="charge_id")
        self._charge_recorded(actor=actor, charge_id=charge_id, person=person, offence=offence)

    @event("ParentCharged")
    def _charge_recorded(self, actor: Actor, charge_id: UUID, person: str, offence: str) -> None:
        self.charges[charge_id] = {"person": person, "offence": offence, "outcome": None}

    # Placement (8.4, 8.10.4, 8.11): decided by the GTA or CIM, never by the CAM/CSC.

    def record_placement(
        self, actor: Actor, actor_kind: BodyKind, placement: PlacementType, decision_reference: str,
        where: Placed | None = None,
    ) -> None:
        """``where``: the closed institution or the unit the child is placed in; the institution's kind and whether
        it takes the child out of the home region are the facts notices.yaml tells the Ombudsman on (0040)."""
        self.require_state("record_placement", OPEN_STATES)
        deciders = set(PLACEMENT_DECIDERS)
        if placement == PlacementType.REMOVED_TEMPORARY_PROTECTION:
            deciders.add(BodyKind.JUVENILE_POLICE)  # removal with the juvenile inspector's assistance, 8.2.2b
        if actor_kind not in deciders:
            raise GuardViolation(
                "placement-decider",
                "a placement of type %(placement)s is decided by %(deciders)s, not by %(actor_kind)s",
                values={"placement": placement, "deciders": ", ".join(sorted(deciders)), "actor_kind": actor_kind},
                status=403,
            )
        place = (where.institution, where.unit) if where else (None, None)
        if placement == self.placement and place == (self.placement_institution, self.placement_unit):
            raise GuardViolation("placement-unchanged", "the child is already placed: %(placement)s",
                                 values={"placement": placement}, field="placement")
        self._placement_recorded(
            actor=actor, placement=str(placement), decision_reference=decision_reference, **(vars(where) if where else {})
        )

    @event("PlacementRecorded")
    def _placement_recorded(
        self, actor: Actor, placement: str, decision_reference: str, institution: str | None = None,
        institution_kind: str | None = None, unit: str | None = None, out_of_region: bool = False,
        institution_closed: bool = False, beyond_capacity: bool = False,
    ) -> None:
        self.placement = PlacementType(placement)
        self.placement_since = self.modified_on
        self.placement_institution = institution
        self.placement_unit = unit
        self.placement_history.append({"placement": placement, "since": self.modified_on, "institution": institution})
        if self.placement == PlacementType.REMOVED_TEMPORARY_PROTECTION:
            self.removed_at = self.modified_on
            self._removal_carried_out()

    # A placement is reviewed while it lasts: the residential unit every calendar month
    # (8.4, D18), residential alternative care every three months (8.10, D33).

    def review_placement(self, actor: Actor, minutes: str) -> None:
        self.require_state("review_placement", OPEN_STATES)
        if self.placement is None:
            raise GuardViolation("no-placement", "the child has no placement to review")
        if not minutes.strip():
            raise GuardViolation("minutes-required", "record what the review found", field="minutes")
        self._placement_reviewed(actor=actor, placement=str(self.placement), minutes=minutes.strip())

    @event("PlacementReviewed")
    def _placement_reviewed(self, actor: Actor, placement: str, minutes: str) -> None:
        self.placement_reviews.append(self.modified_on)

    # Independent supporter (9.3): the NGO records its answer to the request (D42), the supporter's
    # first contact (D43) and the first meeting with the child (D44) itself (docs/decisions/0034);
    # such steps recorded earlier by the manager on the NGO's behalf (0005, 0010) replay unchanged.

    def record_supporter_step(self, actor: Actor, step: SupporterStep, note: str | None) -> None:
        self.require_state("record_supporter_step", OPEN_STATES)
        if IntakeAction.SUPPORTER_REQUESTED not in self.intake_actions:
            raise GuardViolation("supporter-not-requested", "no independent supporter was requested", field="step")
        if step in self.supporter_steps:
            raise GuardViolation("supporter-step-recorded", "%(step)s was already recorded", values={"step": step}, field="step")
        answered = {SupporterStep.NGO_ACCEPTED, SupporterStep.NGO_DECLINED} & set(self.supporter_steps)
        if step in (SupporterStep.NGO_ACCEPTED, SupporterStep.NGO_DECLINED) and answered:
            raise GuardViolation("supporter-step-recorded", "the NGO has already answered", field="step")
        if step in (SupporterStep.SUPPORTER_CONTACTED, SupporterStep.FIRST_MEETING_HELD) and (
            SupporterStep.NGO_ACCEPTED not in self.supporter_steps
        ):
            raise GuardViolation("supporter-not-accepted", "the NGO has not accepted the request", field="step")
        self._supporter_step_recorded(actor=actor, step=str(step), note=note)

    @event("SupporterStepRecorded")
    def _supporter_step_recorded(self, actor: Actor, step: str, note: str | None) -> None:
        self.supporter_steps[SupporterStep(step)] = self.modified_on

    # The supporter's voice to the case manager (9.1, 9.5; ngo 11.4.14): recommendations to involve
    # other bodies (cam N45, ngo N17), the child's views (ngo N18), and a mature child's declining
    # the supporter, which ends the role (9.4, cam N11, ngo N11).

    def _require_supporter(self, command: str) -> None:
        self.require_state(command, OPEN_STATES)
        if SupporterStep.NGO_ACCEPTED not in self.supporter_steps:
            raise GuardViolation("supporter-not-accepted", "no NGO has accepted to provide a supporter")
        if self.supporter_declined_at is not None:
            raise GuardViolation("supporter-declined", "the child declined the independent supporter", status=409)

    def issue_supporter_recommendation(self, actor: Actor, text: str) -> None:
        self._require_supporter("issue_supporter_recommendation")
        if not text.strip():
            raise GuardViolation("text-required", "write the recommendation", field="text")
        self._supporter_recommendation_issued(actor=actor, text=text.strip())

    @event("SupporterRecommendationIssued")
    def _supporter_recommendation_issued(self, actor: Actor, text: str) -> None:
        pass  # the text travels on the notice to the case manager (cam N45)

    def submit_child_views(
        self, actor: Actor, capacity: str, views: str, supporter_view: str | None, reasons: str | None
    ) -> None:
        """``capacity``: advocating_child_views, or conveying_views_with_dissent with the supporter's own view
        and its reasons (ngo P-14)."""
        self._require_supporter("submit_child_views")
        if not views.strip():
            raise GuardViolation("views-required", "write the child's views, wishes and feelings", field="views")
        dissent = capacity == "conveying_views_with_dissent"
        if dissent and not (supporter_view and supporter_view.strip() and reasons and reasons.strip()):
            raise GuardViolation(
                "dissent-explained", "a differing view comes with the supporter's own view and its reasons",
                field="supporter_view",
            )
        statement = f"The child's views: {views.strip()}"
        if dissent:
            statement += f"\nThe supporter's view: {supporter_view.strip()}\nWhy: {reasons.strip()}"  # type: ignore[union-attr]
        self._child_views_submitted(actor=actor, capacity=capacity, statement=statement)

    @event("ChildViewsSubmitted")
    def _child_views_submitted(self, actor: Actor, capacity: str, statement: str) -> None:
        pass  # the statement travels on the notice to the case manager (ngo N18)

    def record_child_declined_supporter(self, actor: Actor, note: str | None) -> None:
        self._require_supporter("record_child_declined_supporter")
        self._supporter_declined_by_child(
            actor=actor, note=note or "the child has not consented to receiving independent supporter services"
        )

    @event("SupporterDeclinedByChild")
    def _supporter_declined_by_child(self, actor: Actor, note: str) -> None:
        self.supporter_declined_at = self.modified_on

    # Disclosure on a legal basis (cam-csc-manual P-03; violence evaluation §8.3): the
    # recorded basis is what lets a body see data the policy otherwise keeps from it,
    # e.g. migration status for the police.

    def record_legal_basis(self, actor: Actor, recipient: str, basis: str, reference: str) -> None:
        self.require_state("record_legal_basis", OPEN_STATES)
        if not basis.strip() or not reference.strip():
            raise GuardViolation(
                "legal-basis-named", "name the provision of law and the request or decision it rests on", field="basis"
            )
        self._legal_basis_recorded(actor=actor, recipient=recipient, basis=basis.strip(), reference=reference.strip())

    @event("LegalBasisRecorded")
    def _legal_basis_recorded(self, actor: Actor, recipient: str, basis: str, reference: str) -> None:
        self.legal_bases[recipient] = {"basis": basis, "reference": reference, "at": self.modified_on}

    # Medical examination (8.3.21-8.3.23): requested by the centre with consent,
    # carried out and reported by the health body.

    def request_medical_examination(
        self, actor: Actor, examination_id: UUID, health_agency: str, reason: str, consent_valid: bool
    ) -> None:
        self.require_state("request_medical_examination", OPEN_STATES)
        if not consent_valid:
            raise GuardViolation(
                "8.3.21-consent",
                "a medical examination needs the written consent required by the child's age (P-17)",
                field="health_agency",
            )
        if examination_id in self.medical_examinations:
            raise GuardViolation("examination-requested", "this examination is already requested")
        self._medical_examination_requested(
            actor=actor, examination_id=examination_id, health_agency=health_agency, reason=reason
        )

    @event("MedicalExaminationRequested")
    def _medical_examination_requested(
        self, actor: Actor, examination_id: UUID, health_agency: str, reason: str
    ) -> None:
        self.medical_examinations[examination_id] = {
            "health_agency": health_agency,
            "reason": reason,
            "requested_at": self.modified_on,
            "requested_by": actor.user,
            "findings": None,
            "reported_at": None,
        }

    def report_medical_examination(self, actor: Actor, examination_id: UUID, findings: str) -> None:
        self.require_state("report_medical_examination", OPEN_STATES)
        exam = self.medical_examinations.get(examination_id)
        if exam is None:
            raise GuardViolation("no-examination", "no such examination was requested", field="examination_id")
        if actor.agency != exam["health_agency"]:
            raise GuardViolation("examiner-only", "only the health body asked to examine reports", status=403)
        if exam["findings"] is not None:
            raise GuardViolation("examination-reported", "the findings are already reported")
        self._medical_examination_reported(actor=actor, examination_id=examination_id, findings=findings)

    @event("MedicalExaminationReported")
    def _medical_examination_reported(self, actor: Actor, examination_id: UUID, findings: str) -> None:
        self.medical_examinations[examination_id]["findings"] = findings
        self.medical_examinations[examination_id]["reported_at"] = self.modified_on
