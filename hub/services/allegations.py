"""The staff-harm protocol (cam 11.3, ngo 13.4; docs/decisions/0035): reporting an allegation against an
agency's staff, and the steps of the Safeguarding Lead and the investigating body that follow.

A report is a referral about the child that names the employer (``concern.about_agency``) with the
reporter's account: the child is protected through the referral, and the allegation, a record of its
own, is told to the employer's Safeguarding Lead, the investigating body and UNICEF's focal point.
The reporting person gets a receipt and nothing more; every other body that does not hold the
allegation, the accused one above all, finds nothing (404, as for an allegation that does not exist).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel

from hub.actor import Actor
from hub.aggregates.allegation import Allegation, Outcome, allegation_id_for
from hub.aggregates.referral import Referral
from hub.aggregates.vocabulary import BodyKind
from hub.errors import GuardViolation, InvalidInput, NotFound
from hub.services.aggregates import Aggregates
from hub.services.commit import Commit, Reply
from hub.services.conflicts import retry_on_conflict
from hub.services.directory import DirectoryService
from hub.services.referrals import ReferralRequest, ReferralService
from hub.services.staff_files import StaffFileService


class AllegationReceipt(BaseModel):
    """What the reporter is shown: that the hub holds the report, and where it stands (cam P-10)."""

    id: UUID
    received_at: datetime
    state: str


def receipt_of(allegation: Allegation) -> AllegationReceipt:
    return AllegationReceipt(id=allegation.id, received_at=allegation.created_on, state=str(allegation.state))


class AllegationService:
    def __init__(
        self, aggregates: Aggregates, directory: DirectoryService, referrals: ReferralService,
        staff_files: StaffFileService, commit: Commit,
    ) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self.referrals = referrals
        self.staff_files = staff_files
        self.commit = commit

    def report(self, actor: Actor, request: ReferralRequest) -> tuple[AllegationReceipt, bool]:
        """The report recorded (or, for a repeated Idempotency-Key, found again): its receipt, and whether new."""
        if request.content.concern.about_agency is None:
            raise InvalidInput(
                "concern.about_agency", "an allegation names the agency whose staff it is about",
                problem_type="allegation-without-employer",
            )
        [submission] = self.referrals.submit_referrals(actor, [request])
        allegation = submission.allegation or self.aggregates.load(
            Allegation, allegation_id_for(self.aggregates.ids, submission.referral.id), "allegation"
        )
        return receipt_of(allegation), submission.created

    def receipt(self, actor: Actor, allegation_id: UUID) -> AllegationReceipt:
        allegation = self.aggregates.find(allegation_id)
        if not isinstance(allegation, Allegation) or not allegation.is_reporter(actor):
            raise NotFound(f"no allegation {allegation_id}")
        return receipt_of(allegation)

    def _held(self, actor: Actor, allegation_id: UUID, *, lead: bool, investigator: bool) -> Allegation:
        """The allegation, if the caller is among the bodies that act on it; not found for anyone else."""
        allegation = self.aggregates.find(allegation_id)
        if isinstance(allegation, Allegation):
            if lead and not allegation.lead_accused and actor.agency == allegation.lead_agency:
                return allegation
            if investigator and actor.agency == allegation.investigator_agency:
                return allegation
        raise NotFound(f"no allegation {allegation_id}")

    @retry_on_conflict
    def remove_from_contact(self, actor: Actor, allegation_id: UUID, reply: Reply | None = None) -> Allegation:
        """The Lead records that the staff member no longer has contact with children (cam D48, ngo D55)."""
        allegation = self._held(actor, allegation_id, lead=True, investigator=False)
        allegation.remove_from_contact(actor)
        self.commit(actor, allegation, reply=reply)
        return allegation

    @retry_on_conflict
    def refer_investigation(self, actor: Actor, allegation_id: UUID, reply: Reply | None = None) -> Allegation:
        """The investigating body involves the police of the child's city (cam N50, ngo N28)."""
        allegation = self._held(actor, allegation_id, lead=False, investigator=True)
        police = self._police_for(allegation)
        if police is None:
            raise GuardViolation("no-police", "no police investigation body is registered in the child's city", status=409)
        allegation.refer_investigation(actor, police)
        self.commit(actor, allegation, reply=reply)
        return allegation

    @retry_on_conflict
    def report_progress(self, actor: Actor, allegation_id: UUID, text: str, reply: Reply | None = None) -> Allegation:
        allegation = self._held(actor, allegation_id, lead=True, investigator=True)
        allegation.report_progress(actor, text)
        self.commit(actor, allegation, reply=reply)
        return allegation

    @retry_on_conflict
    def conclude(
        self, actor: Actor, allegation_id: UUID, outcome: Outcome, directions: str | None, reply: Reply | None = None
    ) -> Allegation:
        allegation = self._held(actor, allegation_id, lead=False, investigator=True)
        allegation.conclude(actor, outcome, directions)
        # the employer's Director is told on its staff file, never the child's (cam 11.3.8, ngo N29; 0044)
        self.commit(actor, allegation, self.staff_files.told_of(actor, allegation), reply=reply)
        return allegation

    def _police_for(self, allegation: Allegation) -> str | None:
        if allegation.referral_id is None:
            return None
        referral = self.aggregates.load(Referral, allegation.referral_id, "referral")
        found = self.directory.agencies_of(BodyKind.POLICE_INVESTIGATION, referral.content.child.city)
        return found[0].code if found else None
