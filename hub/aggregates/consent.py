"""Consent of the child and family, per purpose and recipient.

Age rules (cam-csc-manual L2333-2370, L4621-4625; ngo-services-manual §5.3):
- a child aged 16 or over consents personally;
- under 16, a parent or legal representative consents, and the child as well
  where the child has sufficient maturity and understanding;
- for a medical examination, a mature child's own consent is enough when the
  parent refuses (L2352-2356);
- for an independent supporter, the child consents if capable of forming views,
  otherwise the legal representative (P-18).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.aggregates.vocabulary import Signatory
from hub.crypto.ids import RecordIds
from hub.errors import GuardViolation, IllegalTransition

ADULT_CONSENT_AGE = 16


class ConsentPurpose(StrEnum):
    INFORMATION_SHARING = "information_sharing"
    MEDICAL_EXAMINATION = "medical_examination"
    SOCIAL_SUPPORT = "social_support"
    LEGAL_SERVICES = "legal_services"
    PSYCHOLOGICAL_COUNSELLING = "psychological_counselling"
    INDEPENDENT_SUPPORTER = "independent_supporter"
    FAMILY_TRACING = "family_tracing"


class ConsentState(StrEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"  # derived from expires_at; never stored


def consent_id_for(ids: RecordIds, child_id: UUID, purpose: ConsentPurpose, recipient: str) -> UUID:
    """One consent record per child, purpose and recipient, renewed in place."""
    return ids.of("consent", child_id, purpose, recipient)


def required_signatories(
    age: int | None, mature: bool, purpose: ConsentPurpose, parent_refused: bool
) -> list[set[Signatory]]:
    """The alternative sets of signatories that make a valid consent."""
    guardians = [{Signatory.PARENT}, {Signatory.LEGAL_REPRESENTATIVE}]
    if purpose == ConsentPurpose.INDEPENDENT_SUPPORTER:
        # The child consents if able to form views; otherwise the legal
        # representative (cam-csc-manual P-18, ngo-services-manual §3.7.3).
        return [{Signatory.CHILD}] if mature or (age is not None and age >= ADULT_CONSENT_AGE) else guardians
    if age is not None and age >= ADULT_CONSENT_AGE:
        return [{Signatory.CHILD}]
    if purpose == ConsentPurpose.MEDICAL_EXAMINATION and mature and parent_refused:
        return [{Signatory.CHILD}]
    if mature:
        return [g | {Signatory.CHILD} for g in guardians]
    return guardians


def check_signatories(
    signatories: Iterable[Signatory], age: int | None, mature: bool, purpose: ConsentPurpose, parent_refused: bool
) -> None:
    given = set(signatories)
    options = required_signatories(age, mature, purpose, parent_refused)
    if not any(option <= given for option in options):
        needed = " or ".join("+".join(sorted(o)) for o in options)
        values = {"purpose": purpose, "age": "?" if age is None else age, "needed": needed}
        if mature:
            raise GuardViolation("consent-signatories", "consent for %(purpose)s from a child aged %(age)s (mature) needs "
                                 "%(needed)s", field="signatories", values=values)
        raise GuardViolation("consent-signatories", "consent for %(purpose)s from a child aged %(age)s needs %(needed)s",
                             field="signatories", values=values)


class Consent(HubAggregate):
    kind = "consent"

    @event("Given")
    def __init__(
        self,
        id: UUID,  # given by the caller: derived from a natural key
        actor: Actor,
        child_id: UUID,
        purpose: str,
        recipient: str,
        signatories: list[str],
        child_mature: bool,
        method: str,
        expires_at: datetime | None,
    ) -> None:
        self.child_id = child_id
        self.purpose = ConsentPurpose(purpose)
        self.recipient = recipient
        self._apply_given(signatories, child_mature, method, expires_at)

    def _apply_given(
        self, signatories: list[str], child_mature: bool, method: str, expires_at: datetime | None
    ) -> None:
        self.signatories = [Signatory(s) for s in signatories]
        self.child_mature = child_mature
        self.method = method
        self.expires_at = expires_at
        self.state = ConsentState.GIVEN

    def status(self, at: datetime) -> ConsentState:
        if self.state == ConsentState.GIVEN and self.expires_at is not None and at >= self.expires_at:
            return ConsentState.EXPIRED
        return self.state

    def is_valid(self, at: datetime) -> bool:
        return self.status(at) == ConsentState.GIVEN

    def renew(
        self,
        actor: Actor,
        signatories: list[str],
        child_mature: bool,
        method: str,
        expires_at: datetime | None,
        at: datetime,
    ) -> None:
        if self.is_valid(at):
            raise IllegalTransition(self.kind, str(self.status(at)), "give")
        self._renewed(
            actor=actor, signatories=signatories, child_mature=child_mature, method=method, expires_at=expires_at
        )

    @event("Renewed")
    def _renewed(
        self, actor: Actor, signatories: list[str], child_mature: bool, method: str, expires_at: datetime | None
    ) -> None:
        self._apply_given(signatories, child_mature, method, expires_at)

    def withdraw(self, actor: Actor, reason: str | None, at: datetime) -> None:
        if not self.is_valid(at):
            raise IllegalTransition(self.kind, str(self.status(at)), "withdraw")
        self._withdrawn(actor=actor, reason=reason)

    @event("Withdrawn")
    def _withdrawn(self, actor: Actor, reason: str | None) -> None:
        self.state = ConsentState.WITHDRAWN
