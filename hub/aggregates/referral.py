"""A referral: one agency's report about one child (cam-csc-manual §2.2-2.3, T01-T03).

Lifecycle: submitted -> acknowledged -> accepted (allocated to a case) | declined
(with reasons) | redirected (to another body); submitted or acknowledged ->
withdrawn (by the referrer only) | linked (it was about a child the hub already
knows: a linked referral about that child carries it on, docs/decisions/0011).

Routing records on the referral the rule that chose its recipient. The bodies
told of it are told by notices of their own (hub/aggregates/notice.py).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.aggregates.lazy_content import LazyContent
from hub.aggregates.referral_content import ReferralContent
from hub.aggregates.vocabulary import BodyKind
from hub.crypto.ids import RecordIds
from hub.errors import GuardViolation
from hub.geography.units import legacy_code

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
    LINKED = "linked"


OPEN = (ReferralState.SUBMITTED, ReferralState.ACKNOWLEDGED)


def referral_id_for(ids: RecordIds, referrer_agency: str, idempotency_key: str | None) -> UUID:
    """The same agency sending the same key always names the same referral, and no one else can tell which.

    Because the store refuses a second "created" event for one id, parallel
    repeats of a submission cannot create two referrals.
    """
    if idempotency_key is None:
        return uuid4()
    return ids.of("referral", referrer_agency, idempotency_key)


class Referral(HubAggregate):
    kind = "referral"

    class Submitted(HubAggregate.Created):
        # v2: the bodies told of the referral are no longer listed on it: each has a notice of its own
        # (docs/decisions/0025). The list an older referral carries is dropped; its notices were labels.
        class_version = 3
        actor: Actor
        child_id: UUID
        recipient_agency: str
        routing_reason: str
        content: dict
        fingerprint: str
        redirected_from: UUID | None
        routing_rule: str | None
        referrer_agency: str | None
        linked_from: UUID | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state.pop("notices", None)

        # v3: the child's city is a unit's code (hub/geography/units.yaml); a city of earlier versions
        # is read as its unit (decision 0026). The fingerprint stays as it was computed then.
        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            content = state.get("content")
            child = content.get("child") if isinstance(content, dict) else None
            if isinstance(content, dict) and isinstance(child, dict) and "city" in child:
                state["content"] = {**content, "child": {**child, "city": legacy_code(child["city"])}}

    class NoticeAcknowledged(HubAggregate.Event):
        """Recorded before decision 0025, when a notice was a label on its referral: replayed, never raised,
        and changing nothing now that notices are records of their own."""

        def apply(self, aggregate: Referral) -> None:
            pass

    @event(Submitted)
    def __init__(
        self,
        id: UUID,  # given by the caller: derived from a natural key
        actor: Actor,
        child_id: UUID,
        recipient_agency: str,
        routing_reason: str,
        content: dict,
        fingerprint: str,
        redirected_from: UUID | None = None,
        routing_rule: str | None = None,
        referrer_agency: str | None = None,
        linked_from: UUID | None = None,
    ) -> None:
        self.submitted_by = actor
        self.referrer_agency = referrer_agency or actor.agency
        self.child_id = child_id
        self.recipient_agency = recipient_agency
        self.routing_reason = routing_reason
        self._content = LazyContent(content)
        self.fingerprint = fingerprint
        self.state = ReferralState.SUBMITTED
        self.case_id: UUID | None = None
        self.decline_reasons: list[str] = []
        self.redirected_to: str | None = None
        self.redirected_from = redirected_from
        self.onward_referral_id: UUID | None = None
        self.outcome_reason: str | None = None
        self.routing_rule = routing_rule
        self.linked_from = linked_from
        self.linked_to_child: UUID | None = None
        self.duplicate_checks: list[dict] = []
        self.consent_refused: str | None = None  # the service the child or parent did not consent to
        self.another_minor: str | None = None  # another child is in this child's matter, and as what (0050)
        self.family_wish_withdrawn: dict[str, str] | None = None  # the child now lets the parents be told (0050)
        self.acknowledged_at: datetime | None = None  # meets a recipient's acknowledgement clock (GTA-ACK, 0050)

    @property
    def content(self) -> ReferralContent:
        """What the referral says, as it was accepted."""
        return self._content.model()

    def made_from(self, content: ReferralContent) -> None:
        """``content`` is the model the event's content was dumped from: read as it is, not rebuilt."""
        self._content = LazyContent(self._content.stored, content)

    @event("MinorInvolved")
    def involve_minor(self, actor: Actor, another_minor: str) -> None:
        """Another child is in the matter: all the referral says of him, whoever reads it (decision 0050)."""
        self.another_minor = another_minor

    def acknowledge(self, actor: Actor, note: str | None = None) -> None:
        self.require_state("acknowledge", [ReferralState.SUBMITTED])
        self._acknowledged(actor=actor, note=note)

    @event("Acknowledged")
    def _acknowledged(self, actor: Actor, note: str | None) -> None:
        self.state = ReferralState.ACKNOWLEDGED
        self.acknowledged_at = self.modified_on

    def accept(self, actor: Actor, case_id: UUID | None, duplicates: dict[str, list[str]] | None = None) -> None:
        """``case_id``: the CAM/CSC case it is allocated to; None where the body provides its own service (an NGO,
        the GTA for a child under 3: docs/decisions/0034). ``duplicates``: what the duplicate check showed
        (``candidates``, ``managed_elsewhere``), recorded first."""
        self.require_state("accept", [ReferralState.ACKNOWLEDGED])
        if duplicates is not None:
            self._duplicates_checked(actor=actor, **duplicates)
        self._accepted(actor=actor, case_id=case_id)

    @event("Accepted")
    def _accepted(self, actor: Actor, case_id: UUID | None) -> None:
        # Before decision 0034 every acceptance named a case; those events replay unchanged (no upcast needed:
        # the attribute is kept, only allowed to be empty).
        self.state = ReferralState.ACCEPTED
        self.case_id = case_id

    def refuse_service_consent(self, actor: Actor, service: str, note: str | None) -> None:
        """The child, or the parent, did not consent to the service the NGO accepted the referral for (ngo 8.3.15,
        10.3.16, P-12): the referrer is told (ngo N09, N10). Only for a referral accepted without a case."""
        self.require_state("refuse_service_consent", [ReferralState.ACCEPTED])
        if self.case_id is not None:
            raise GuardViolation("own-service-only", "the referral was allocated to a case, not to a service")
        if self.consent_refused is not None:
            raise GuardViolation("consent-refusal-recorded", "the refusal was already recorded", status=409)
        self._service_consent_refused(
            actor=actor, service=service, note=note or "the child or parent/legal representative did not consent"
        )

    @event("ServiceConsentRefused")
    def _service_consent_refused(self, actor: Actor, service: str, note: str) -> None:
        self.consent_refused = service

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

    def redirect(self, actor: Actor, to_agency: str, to_kind: BodyKind, reason: str, ids: RecordIds) -> Referral:
        """Closes this referral as redirected and returns the onward referral to the other body."""
        self.require_state("redirect", OPEN)
        if to_kind not in REDIRECT_TARGETS:
            raise GuardViolation(
                "redirect-target", "a referral cannot be redirected to a body of kind %(to_kind)s",
                values={"to_kind": to_kind}, field="to_agency"
            )
        if to_agency == self.recipient_agency:
            raise GuardViolation("redirect-target", "a referral cannot be redirected to its own recipient", field="to_agency")
        if not reason.strip():
            raise GuardViolation("reason-required", "a redirection needs a reason", field="reason")
        onward = Referral(
            id=ids.of("onward", self.id),  # fixed, so a retried redirect cannot make two
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

    def withdraw_family_wish(self, actor: Actor, note: str) -> None:
        """The child withdraws the wish that the parents are not told, through the body the child came to (0043)."""
        wish = self.content.self_referral
        if wish is None or not wish.keep_from_parents:
            raise GuardViolation("no-family-wish", "the referral holds no wish that the parents are not told", status=409)
        if self.family_wish_withdrawn is not None:
            raise GuardViolation("family-wish-withdrawn", "the child has already withdrawn the wish", status=409)
        if actor.agency != self.referrer_agency:
            raise GuardViolation("referrer-only", "the body the child came to records that the child withdraws the wish",
                                 status=403)
        self._family_wish_withdrawn(actor=actor, note=note)

    @event("FamilyWishWithdrawn")
    def _family_wish_withdrawn(self, actor: Actor, note: str) -> None:
        self.family_wish_withdrawn = {"at": self.modified_on.isoformat(), "by_agency": actor.agency, "note": note}

    @event("Withdrawn")
    def _withdrawn(self, actor: Actor, reason: str) -> None:
        self.state = ReferralState.WITHDRAWN
        self.outcome_reason = reason

    # -- the duplicate check and linking to a known child (docs/decisions/0011) --

    @event("DuplicatesChecked")
    def _duplicates_checked(self, actor: Actor, candidates: list[str], managed_elsewhere: list[str]) -> None:
        # Kept as recorded: after an erasure the lists read as ERASED, and the log must still replay.
        self.duplicate_checks.append(
            {"candidates": candidates, "managed_elsewhere": managed_elsewhere, "checked_by": actor.user}
        )

    def link_to_child(self, actor: Actor, child_id: UUID, ids: RecordIds) -> Referral:
        """Ends this referral as linked and returns a referral about the known child, in the same state."""
        self.require_state("link_to_child", OPEN)
        if child_id == self.child_id:
            raise GuardViolation("same-child", "the referral is already about this child", field="child_id")
        linked = Referral(
            id=ids.of("linked", self.id),
            actor=actor,
            child_id=child_id,
            recipient_agency=self.recipient_agency,
            routing_reason=self.routing_reason,
            content=self.content.model_dump(mode="json"),
            fingerprint=self.fingerprint,
            redirected_from=self.redirected_from,
            routing_rule=self.routing_rule,
            referrer_agency=self.referrer_agency,
            linked_from=self.id,
        )
        if self.state == ReferralState.ACKNOWLEDGED:
            linked.acknowledge(actor, note="acknowledged before it was linked to a known child")
        # Not named child_id: this referral's events stay sealed under its own child's key.
        self._linked(actor=actor, to_child_id=child_id, onward_referral_id=linked.id)
        return linked

    @event("Linked")
    def _linked(self, actor: Actor, to_child_id: UUID, onward_referral_id: UUID) -> None:
        self.state = ReferralState.LINKED
        self.linked_to_child = to_child_id
        self.onward_referral_id = onward_referral_id
