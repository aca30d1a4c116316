"""Recording the child's and family's consent, and its withdrawal."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.child import Child
from hub.aggregates.consent import Consent, ConsentPurpose, check_signatories, consent_id_for
from hub.aggregates.vocabulary import BodyKind, Signatory
from hub.errors import GuardViolation, NotFound
from hub.services.aggregates import Aggregates
from hub.services.children import ChildService
from hub.services.commit import Commit, Reply
from hub.services.conflicts import retry_on_conflict
from hub.services.directory import DirectoryService


class ConsentService:
    def __init__(
        self, aggregates: Aggregates, directory: DirectoryService, children: ChildService, commit: Commit
    ) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self.children = children
        self.commit = commit

    @retry_on_conflict
    def give_consent(
        self,
        actor: Actor,
        child_id: UUID,
        purpose: ConsentPurpose,
        recipient: str,
        signatories: list[Signatory],
        child_mature: bool,
        method: str,
        expires_at: datetime | None = None,
        parent_refused: bool = False,
        reply: Reply | None = None,
    ) -> Consent:
        child = self.children.child_for(actor, child_id)
        now = clock.now()
        check_signatories(signatories, child.age_on(now.date()), child_mature, purpose, parent_refused)
        if expires_at is not None and expires_at <= now:
            raise GuardViolation("expiry-in-past", "a consent cannot expire before it is given", field="expires_at")
        self.check_recipient(recipient)
        names = sorted(str(s) for s in signatories)
        consent_id = consent_id_for(self.aggregates.ids, child.id, purpose, recipient)
        consent = self.aggregates.find(consent_id)
        if consent is None:
            consent = Consent(
                id=consent_id,
                actor=actor,
                child_id=child.id,
                purpose=str(purpose),
                recipient=recipient,
                signatories=names,
                child_mature=child_mature,
                method=method,
                expires_at=expires_at,
            )
        else:
            consent.renew(actor, names, child_mature, method, expires_at, at=now)
        self.commit(actor, consent, reply=reply)
        return consent

    @retry_on_conflict
    def withdraw_consent(
        self, actor: Actor, child_id: UUID, purpose: ConsentPurpose, recipient: str, reason: str | None,
        reply: Reply | None = None,
    ) -> Consent:
        child = self.children.child_for(actor, child_id)
        consent = self._consent(child, purpose, recipient)
        consent.withdraw(actor, reason, at=clock.now())
        self.commit(actor, consent, reply=reply)
        return consent

    def check_recipient(self, recipient: str) -> None:
        """A recipient is a kind of body (every school) or one agency (this school)."""
        if recipient not in set(BodyKind):
            self.directory.agency(recipient, field="recipient")

    def _consent(self, child: Child, purpose: ConsentPurpose, recipient: str) -> Consent:
        consent = self.aggregates.find(consent_id_for(self.aggregates.ids, child.id, purpose, recipient))
        if consent is None:
            raise NotFound(f"no consent of child {child.id} for {purpose} to {recipient}")
        return consent

    def consent_id(self, child_id: UUID, purpose: ConsentPurpose, recipient: str) -> UUID:
        return consent_id_for(self.aggregates.ids, child_id, purpose, recipient)

    def consent_status(self, actor: Actor, child_id: UUID, purpose: ConsentPurpose, recipient: str) -> Consent:
        return self._consent(self.children.child_for(actor, child_id), purpose, recipient)
