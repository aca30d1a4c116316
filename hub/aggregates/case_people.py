"""The people of a case and what is decided about the child's family (issue 15, docs/decisions/0042).

- The social worker is reassigned after intake: asked with a reason, approved or declined by whoever
  allocates work - the Manager (cam-csc-manual §1.2 L112) or the supervisor of the worker's team. An
  approver's own request carries its approval.
- The risk level (low/medium/high, violence-system-evaluation §4.4, S3) with its reasons, each change an event.
- Proceedings to restrict, deprive or restore parental rights (cam §1 L81, Annex care plan L831; vse S11):
  started, hearings, outcome.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.case_transfer import CaseTransfers
from hub.aggregates.case_vocabulary import OPEN_STATES
from hub.errors import GuardViolation

PENDING, APPROVED, DECLINED = "pending", "approved", "declined"


class RiskLevel(StrEnum):
    """Order 1027 Art. 43's levels (vse §4.4 L1623), the hub's reading for every case (decision 0042)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ParentalRightsMeasure(StrEnum):
    RESTRICT = "restrict"
    DEPRIVE = "deprive"
    RESTORE = "restore"  # cam L831: "the circumstances under which an application for the restoration ... will be made"


class ParentalRightsOutcome(StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"  # the applicant withdrew, or the CMA dismissed it (vse S11, L1454)


class CasePeople(CaseTransfers):
    def _init_people(self) -> None:
        self._init_transfers()
        self.reassignments: list[dict[str, Any]] = []
        self.risk_level: RiskLevel | None = None
        self.risk: list[dict[str, Any]] = []  # every level set, with its reasons, newest last
        self.parental_rights: dict[UUID, dict[str, Any]] = {}

    # -- reassigning the social worker ------------------------------------------------------------

    @property
    def pending_reassignment(self) -> dict[str, Any] | None:
        last = self.reassignments[-1] if self.reassignments else None
        return last if last is not None and last["state"] == PENDING else None

    def request_reassignment(self, actor: Actor, to_worker: str, reason: str, approve: bool) -> None:
        """``approve``: the requester is one who allocates the current worker's cases (checked by the service)."""
        self.require_state("reassign_social_worker", OPEN_STATES)
        current = self.social_worker
        if current is None:
            raise GuardViolation("no-social-worker", "no social worker is assigned yet: assign one", status=409)
        if to_worker.strip() == current:
            raise GuardViolation("reassign-same-worker", "%(current)s already works this case",
                                 values={"current": current}, field="to_worker")
        if self.pending_reassignment is not None:
            raise GuardViolation("reassignment-pending", "another reassignment of this case awaits its answer",
                                 status=409)
        if not reason.strip():
            raise GuardViolation("reason-required", "say why the social worker changes", field="reason")
        self._reassignment_requested(actor=actor, from_worker=current, to_worker=to_worker.strip(),
                                     reason=reason.strip())
        if approve:
            self.approve_reassignment(actor)

    @event("ReassignmentRequested")
    def _reassignment_requested(self, actor: Actor, from_worker: str, to_worker: str, reason: str) -> None:
        self.reassignments.append({
            "from_worker": from_worker, "to_worker": to_worker, "reason": reason, "requested_by": actor.user,
            "requested_at": self.modified_on, "state": PENDING, "answered_by": None, "answered_at": None,
            "decline_reasons": [],
        })

    def _reassignment_to_answer(self, command: str) -> dict[str, Any]:
        self.require_state(command, OPEN_STATES)
        pending = self.pending_reassignment
        if pending is None:
            raise GuardViolation("no-pending-reassignment", "no reassignment of this case awaits an answer",
                                 status=409)
        return pending

    def approve_reassignment(self, actor: Actor) -> None:
        pending = self._reassignment_to_answer("approve_reassignment")
        self._reassignment_approved(actor=actor, from_worker=pending["from_worker"], to_worker=pending["to_worker"])

    @event("ReassignmentApproved")
    def _reassignment_approved(self, actor: Actor, from_worker: str, to_worker: str) -> None:
        self.social_worker: str | None = to_worker
        self.reassignments[-1].update(state=APPROVED, answered_by=actor.user, answered_at=self.modified_on)

    def decline_reassignment(self, actor: Actor, reasons: list[str]) -> None:
        self._reassignment_to_answer("decline_reassignment")
        reasons = [r.strip() for r in reasons if r.strip()]
        if not reasons:
            raise GuardViolation("reasons-required", "a declined reassignment comes with its reasons", field="reasons")
        self._reassignment_declined(actor=actor, reasons=reasons)

    @event("ReassignmentDeclined")
    def _reassignment_declined(self, actor: Actor, reasons: list[str]) -> None:
        self.reassignments[-1].update(state=DECLINED, answered_by=actor.user, answered_at=self.modified_on,
                                      decline_reasons=reasons)

    # -- risk level ---------------------------------------------------------------------------------

    def assess_risk(self, actor: Actor, level: RiskLevel, reasons: list[str]) -> None:
        self.require_state("assess_risk", OPEN_STATES)
        reasons = [r.strip() for r in reasons if r.strip()]
        if not reasons:
            raise GuardViolation("reasons-required", "a risk level comes with its reasons", field="reasons")
        self._risk_assessed(actor=actor, level=str(level), previous=self.risk_level and str(self.risk_level),
                            reasons=reasons)

    @event("RiskAssessed")
    def _risk_assessed(self, actor: Actor, level: str, previous: str | None, reasons: list[str]) -> None:
        self.risk_level = RiskLevel(level)
        self.risk.append({"level": level, "previous": previous, "reasons": reasons, "by": actor.user,
                          "at": self.modified_on})

    # -- parental-rights proceedings ---------------------------------------------------------------

    def start_parental_rights(
        self, actor: Actor, proceedings_id: UUID, measure: ParentalRightsMeasure, parent: str, applicant: str,
        court: str | None, grounds: str,
    ) -> None:
        self.require_state("start_parental_rights", OPEN_STATES)
        if proceedings_id in self.parental_rights:
            raise GuardViolation("proceedings-exist", "these proceedings are already recorded", field="proceedings_id",
                                 status=409)
        if not grounds.strip():
            raise GuardViolation("grounds-required", "say on what grounds the application is made", field="grounds")
        self._parental_rights_started(actor=actor, proceedings_id=proceedings_id, measure=str(measure),
                                      parent=parent, applicant=applicant, court=court, grounds=grounds.strip())

    @event("ParentalRightsProceedingsStarted")
    def _parental_rights_started(
        self, actor: Actor, proceedings_id: UUID, measure: str, parent: str, applicant: str, court: str | None,
        grounds: str,
    ) -> None:
        self.parental_rights[proceedings_id] = {
            "measure": measure, "parent": parent, "applicant": applicant, "court": court, "grounds": grounds,
            "started_at": self.modified_on, "hearings": [], "outcome": None, "decided_at": None,
            "decision_reference": None,
        }

    def _open_proceedings(self, proceedings_id: UUID) -> dict[str, Any]:
        proceedings = self.parental_rights.get(proceedings_id)
        if proceedings is None or proceedings["outcome"] is not None:
            raise GuardViolation("no-open-proceedings", "no open parental-rights proceedings with this id",
                                 field="proceedings_id")
        return proceedings

    def schedule_parental_rights_hearing(self, actor: Actor, proceedings_id: UUID, at: datetime) -> None:
        self._open_proceedings(proceedings_id)
        self._parental_rights_hearing_scheduled(actor=actor, proceedings_id=proceedings_id, hearing_at=at)

    @event("ParentalRightsHearingScheduled")
    def _parental_rights_hearing_scheduled(self, actor: Actor, proceedings_id: UUID, hearing_at: datetime) -> None:
        self.parental_rights[proceedings_id]["hearings"].append(hearing_at)

    def decide_parental_rights(
        self, actor: Actor, proceedings_id: UUID, outcome: ParentalRightsOutcome, decision_reference: str | None
    ) -> None:
        self._open_proceedings(proceedings_id)
        self._parental_rights_decided(actor=actor, proceedings_id=proceedings_id, outcome=str(outcome),
                                      decision_reference=decision_reference)

    @event("ParentalRightsDecided")
    def _parental_rights_decided(
        self, actor: Actor, proceedings_id: UUID, outcome: str, decision_reference: str | None
    ) -> None:
        self.parental_rights[proceedings_id].update(outcome=outcome, decided_at=self.modified_on,
                                                    decision_reference=decision_reference)
