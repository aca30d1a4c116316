"""A referral: one agency's report about one child (cam-csc-manual §2.2-2.3, T01-T03).

Lifecycle: submitted -> acknowledged -> accepted (allocated to a case) | declined
(with reasons) | redirected (to another body); submitted or acknowledged ->
withdrawn (by the referrer only).
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID, uuid4, uuid5

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.aggregates.referral_content import ReferralContent
from hub.aggregates.vocabulary import BodyKind
from hub.errors import GuardViolation

_IDEMPOTENCY_NAMESPACE = UUID("6f1c2a9e-3b1d-4c56-9e0f-5d4a7b8c9d01")

# Bodies a CAM/CSC may redirect a referral to (cam-csc-manual §2.1, ngo-services-manual §2.1).
REDIRECT_TARGETS = frozenset(
    {
        BodyKind.GTA,
        BodyKind.HEALTH,
        BodyKind.NGO,
        BodyKind.JUVENILE_POLICE,
        BodyKind.POLICE_INVESTIGATION,
        BodyKind.CAM,
        BodyKind.CSC,
    }
)


class ReferralState(StrEnum):
    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REDIRECTED = "redirected"
    WITHDRAWN = "withdrawn"


OPEN = (ReferralState.SUBMITTED, ReferralState.ACKNOWLEDGED)


def referral_id_for(referrer_agency: str, idempotency_key: str | None) -> UUID:
    """The same agency sending the same key always names the same referral.

    Because the store refuses a second "created" event for one id, parallel
    repeats of a submission cannot create two referrals.
    """
    if idempotency_key is None:
        return uuid4()
    return uuid5(_IDEMPOTENCY_NAMESPACE, f"{referrer_agency}\x1f{idempotency_key}")


class Referral(HubAggregate):
    kind = "referral"
    id: UUID  # given by the caller: derived from a natural key

    @event("Submitted")
    def __init__(
        self,
        actor: Actor,
        child_id: UUID,
        recipient_agency: str,
        routing_reason: str,
        content: dict,
        fingerprint: str,
        redirected_from: UUID | None = None,
    ) -> None:
        self.submitted_by = actor
        self.referrer_agency = actor.agency
        self.child_id = child_id
        self.recipient_agency = recipient_agency
        self.routing_reason = routing_reason
        self.content = ReferralContent.model_validate(content)
        self.fingerprint = fingerprint
        self.state = ReferralState.SUBMITTED
        self.case_id: UUID | None = None
        self.decline_reasons: list[str] = []
        self.redirected_to: str | None = None
        self.redirected_from = redirected_from
        self.onward_referral_id: UUID | None = None
        self.outcome_reason: str | None = None

    def acknowledge(self, actor: Actor, note: str | None = None) -> None:
        self.require_state("acknowledge", [ReferralState.SUBMITTED])
        self._acknowledged(actor=actor, note=note)

    @event("Acknowledged")
    def _acknowledged(self, actor: Actor, note: str | None) -> None:
        self.state = ReferralState.ACKNOWLEDGED

    def accept(self, actor: Actor, case_id: UUID) -> None:
        self.require_state("accept", [ReferralState.ACKNOWLEDGED])
        self._accepted(actor=actor, case_id=case_id)

    @event("Accepted")
    def _accepted(self, actor: Actor, case_id: UUID) -> None:
        self.state = ReferralState.ACCEPTED
        self.case_id = case_id

    def decline(self, actor: Actor, reasons: list[str]) -> None:
        self.require_state("decline", OPEN)
        reasons = [r.strip() for r in reasons if r and r.strip()]
        if not reasons:
            raise GuardViolation("reasons-required", "a referral is declined only with reasons", field="reasons")
        self._declined(actor=actor, reasons=reasons)

    @event("Declined")
    def _declined(self, actor: Actor, reasons: list[str]) -> None:
        self.state = ReferralState.DECLINED
        self.decline_reasons = list(reasons)

    def onward_id(self) -> UUID:
        """The id of the referral a redirection creates: fixed, so a retried redirect cannot make two."""
        return uuid5(self.id, "onward")

    def redirect(self, actor: Actor, to_agency: str, to_kind: BodyKind, reason: str) -> Referral:
        """Closes this referral as redirected and returns the onward referral to the other body."""
        self.require_state("redirect", OPEN)
        if to_kind not in REDIRECT_TARGETS:
            raise GuardViolation(
                "redirect-target", f"a referral cannot be redirected to a body of kind {to_kind}", field="to_agency"
            )
        if to_agency == self.recipient_agency:
            raise GuardViolation("redirect-target", "a referral cannot be redirected to its own recipient", field="to_agency")
        if not reason.strip():
            raise GuardViolation("reason-required", "a redirection needs a reason", field="reason")
        onward = Referral(
            id=self.onward_id(),
            actor=actor,
            child_id=self.child_id,
            recipient_agency=to_agency,
            routing_reason=f"redirected by {self.recipient_agency}: {reason.strip()}",
            content=self.content.model_dump(mode="json"),
            fingerprint=self.fingerprint,
            redirected_from=self.id,
        )
        self._redirected(
            actor=actor, to_agency=to_agency, to_kind=str(to_kind), reason=reason.strip(), onward_referral_id=onward.id
        )
        return onward

    @event("Redirected")
    def _redirected(self, actor: Actor, to_agency: str, to_kind: str, reason: str, onward_referral_id: UUID) -> None:
        self.state = ReferralState.REDIRECTED
        self.redirected_to = to_agency
        self.outcome_reason = reason
        self.onward_referral_id = onward_referral_id

    def withdraw(self, actor: Actor, reason: str) -> None:
        self.require_state("withdraw", OPEN)
        if actor.agency != self.referrer_agency:
            raise GuardViolation("referrer-only", "only the referring agency may withdraw a referral", status=403)
        if not reason.strip():
            raise GuardViolation("reason-required", "a withdrawal needs a reason", field="reason")
        self._withdrawn(actor=actor, reason=reason.strip())

    @event("Withdrawn")
    def _withdrawn(self, actor: Actor, reason: str) -> None:
        self.state = ReferralState.WITHDRAWN
        self.outcome_reason = reason
