"""Submitting referrals and deciding on them (the receiving side of T01-T03)."""

from __future__ import annotations

import hashlib
import json
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from hub import clock
from hub.actor import Actor
from hub.aggregates.case import Case
from hub.aggregates.child import Child, ChildFacts
from hub.aggregates.referral import Referral, referral_id_for
from hub.aggregates.referral_content import ReferralContent
from hub.aggregates.vocabulary import CASE_MANAGING_BODIES, BodyKind
from hub.errors import GuardViolation, InvalidInput, NotFound
from hub.routing import Route, route
from hub.services.conflicts import retry_on_conflict
from hub.services.directory import DirectoryService


class Submission:
    def __init__(self, referral: Referral, created: bool) -> None:
        self.referral = referral
        self.created = created


def _fingerprint(content: ReferralContent, child_id: UUID | None, recipient: str | None) -> str:
    canonical = json.dumps(
        {"content": content.model_dump(mode="json"), "child_id": str(child_id) if child_id else None, "to": recipient},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class ReferralService(DirectoryService):
    def submit_referral(
        self,
        actor: Actor,
        content: ReferralContent,
        idempotency_key: str | None = None,
        child_id: UUID | None = None,
        recipient_agency: str | None = None,
    ) -> Submission:
        referral_id = referral_id_for(actor.agency, idempotency_key)
        fingerprint = _fingerprint(content, child_id, recipient_agency)
        for _ in range(5):
            replay = self._replayed(referral_id, fingerprint) if idempotency_key else None
            if replay is not None:
                return Submission(replay, created=False)
            try:
                return Submission(
                    self._submit(actor, referral_id, content, fingerprint, child_id, recipient_agency), created=True
                )
            except IntegrityError:
                continue  # a parallel repeat won, or the child changed meanwhile: look again
        raise GuardViolation("submission-conflict", "the submission kept conflicting; send it again")

    def _replayed(self, referral_id: UUID, fingerprint: str) -> Referral | None:
        try:
            existing: Referral = self.repository.get(referral_id)
        except AggregateNotFoundError:
            return None
        if existing.fingerprint != fingerprint:
            raise InvalidInput(
                "Idempotency-Key",
                "this Idempotency-Key was already used for a different referral",
                problem_type="idempotency-key-reused",
            )
        return existing

    def _submit(
        self,
        actor: Actor,
        referral_id: UUID,
        content: ReferralContent,
        fingerprint: str,
        child_id: UUID | None,
        recipient_agency: str | None,
    ) -> Referral:
        if content.concern.about_agency is not None:
            self.agency(content.concern.about_agency, field="concern.about_agency")
        child = self._child_for(actor, content, child_id)
        recipient, reason = self._recipient(content, child, recipient_agency)
        referral = Referral(
            id=referral_id,
            actor=actor,
            child_id=child.id,
            recipient_agency=recipient,
            routing_reason=reason,
            content=content.model_dump(mode="json"),
            fingerprint=fingerprint,
        )
        child.link_referral(actor=actor, referral_id=referral.id)
        self.save(referral, child)
        return referral

    def _child_for(self, actor: Actor, content: ReferralContent, child_id: UUID | None) -> Child:
        if child_id is not None:
            try:
                return self.load(Child, child_id, "child")
            except NotFound:
                raise InvalidInput("child_id", f"unknown child {child_id}", problem_type="unknown-child") from None
        identity = content.child
        return Child(
            actor=actor,
            identity=identity.model_dump(
                mode="json", include={"given_name", "family_name", "patronymic", "aliases", "sex", "nationality", "languages", "city"}
            ),
            date_of_birth=identity.date_of_birth,
            stated_age=identity.stated_age,
            categories=[str(c) for c in identity.categories],
        )

    def _recipient(self, content: ReferralContent, child: Child, named: str | None) -> tuple[str, str]:
        alleged = content.concern.about_agency
        if named is not None:
            self.agency(named, field="recipient_agency")
            if named == alleged:
                raise InvalidInput(
                    "recipient_agency", "a concern about an agency's staff is not sent to that agency",
                    problem_type="recipient-is-subject",
                )
            return named, "named by the referrer"
        chosen = route(content.child.city, child.age_on(clock.now().date()))
        candidates = self.agencies_of(chosen.kind, content.child.city) if chosen else []
        if alleged is not None and any(c.code == alleged for c in candidates):
            # The case against an institution bypasses it (violence evaluation §8.3): the GTA
            # investigates allegations against staff (ngo-services-manual §3.7.2).
            chosen = Route(BodyKind.GTA, "R-BYPASS", "the concern is about the competent body's own staff")
            candidates = self.agencies_of(BodyKind.GTA, content.child.city)
        if not candidates:
            raise InvalidInput(
                "child.city",
                f"no competent body is registered for a child in {content.child.city}; name recipient_agency",
                problem_type="no-route",
            )
        return candidates[0].code, f"{chosen.rule}: {chosen.reason}"

    # -- the recipient's decisions --

    def referral_for(self, actor: Actor, referral_id: UUID) -> Referral:
        """A referral as its referrer or its recipient may see it; to anyone else it does not exist."""
        referral = self.load(Referral, referral_id, "referral")
        if actor.agency not in (referral.referrer_agency, referral.recipient_agency):
            raise NotFound(f"no referral {referral_id}")
        return referral

    def _as_recipient(self, actor: Actor, referral_id: UUID) -> Referral:
        referral = self.referral_for(actor, referral_id)
        if actor.agency != referral.recipient_agency:
            raise GuardViolation("recipient-only", "only the receiving agency decides on a referral", status=403)
        return referral

    @retry_on_conflict
    def acknowledge_referral(self, actor: Actor, referral_id: UUID, note: str | None = None) -> Referral:
        referral = self._as_recipient(actor, referral_id)
        referral.acknowledge(actor, note=note)
        self.save(referral)
        return referral

    @retry_on_conflict
    def decline_referral(self, actor: Actor, referral_id: UUID, reasons: list[str]) -> Referral:
        referral = self._as_recipient(actor, referral_id)
        referral.decline(actor, reasons=reasons)
        self.save(referral)
        return referral

    @retry_on_conflict
    def redirect_referral(self, actor: Actor, referral_id: UUID, to_agency: str, reason: str) -> Referral:
        """The referral ends here as redirected; the other body receives an onward referral to answer."""
        referral = self._as_recipient(actor, referral_id)
        target = self.agency(to_agency, field="to_agency")
        onward = referral.redirect(actor, to_agency=target.code, to_kind=target.kind, reason=reason)
        child = self.load(Child, referral.child_id, "child")
        child.link_referral(actor=actor, referral_id=onward.id)
        self.save(referral, onward, child)
        return referral

    @retry_on_conflict
    def withdraw_referral(self, actor: Actor, referral_id: UUID, reason: str) -> Referral:
        referral = self.referral_for(actor, referral_id)
        referral.withdraw(actor, reason=reason)
        self.save(referral)
        return referral

    @retry_on_conflict
    def accept_referral(self, actor: Actor, referral_id: UUID) -> Case:
        """Allocates the referral to a case: the child's open case, or a new one (a readmission if one closed)."""
        referral = self._as_recipient(actor, referral_id)
        child = self.load(Child, referral.child_id, "child")
        Case.check_can_open(ChildFacts.of(child, clock.now().date()))
        if self.agency(actor.agency).kind not in CASE_MANAGING_BODIES:
            raise GuardViolation(
                "case-managing-body",
                "only a CAM or CSC opens a child protection case; redirect or decline the referral instead",
                status=403,
            )
        cases = [self.load(Case, case_id, "case") for case_id in child.case_ids]
        open_cases = [c for c in cases if c.is_open]
        if open_cases:
            case = open_cases[-1]
            if case.managing_agency != actor.agency:
                raise GuardViolation(
                    "one-case-manager",
                    f"the child already has an open case managed by {case.managing_agency}",
                    status=409,
                )
            referral.accept(actor, case_id=case.id)
            case.attach_referral(actor, referral_id=referral.id)
            self.save(referral, case)
            return case
        previous = cases[-1] if cases else None
        base = str(child.id).split("-")[0].upper()
        number = f"{base}.{len(cases)}" if cases else base
        case = Case(
            actor=actor,
            child_id=child.id,
            referral_id=referral.id,
            managing_agency=actor.agency,
            case_number=number,
            previous_case_id=previous.id if previous else None,
        )
        referral.accept(actor, case_id=case.id)
        child.link_case(actor=actor, case_id=case.id)
        self.save(referral, case, child)
        return case
