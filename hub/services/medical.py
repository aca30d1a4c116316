"""Medical examinations of the child (cam-csc-manual 8.3.21-8.3.23), and legal bases for disclosure."""

from __future__ import annotations

from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.case import Case
from hub.aggregates.consent import Consent, ConsentPurpose, consent_id_for
from hub.aggregates.vocabulary import BodyKind
from hub.errors import InvalidInput, NotFound
from hub.services.aggregates import Aggregates
from hub.services.cases import CaseService
from hub.services.commit import Commit, Reply
from hub.services.conflicts import retry_on_conflict
from hub.services.consents import ConsentService
from hub.services.directory import DirectoryService


class MedicalService:
    def __init__(
        self, aggregates: Aggregates, directory: DirectoryService, cases: CaseService, consents: ConsentService,
        commit: Commit,
    ) -> None:
        self.commit = commit
        self.aggregates = aggregates
        self.directory = directory
        self.cases = cases
        self.consents = consents

    def record_legal_basis(
        self, actor: Actor, case_id: UUID, recipient: str, basis: str, reference: str, reply: Reply | None = None
    ) -> Case:
        self.consents.check_recipient(recipient)
        return self.cases.act(
            actor, case_id, lambda c: c.record_legal_basis(actor, recipient, basis, reference), reply=reply
        )

    def _medical_consent(self, case: Case, health_agency: str) -> bool:
        now = clock.now()
        for recipient in (health_agency, str(BodyKind.HEALTH)):
            consent_id = consent_id_for(self.aggregates.ids, case.child_id, ConsentPurpose.MEDICAL_EXAMINATION, recipient)
            consent = self.aggregates.find(consent_id)
            if isinstance(consent, Consent) and consent.is_valid(now):
                return True
        return False

    def request_medical_examination(
        self, actor: Actor, case_id: UUID, examination_id: UUID, health_agency: str, reason: str,
        reply: Reply | None = None,
    ) -> Case:
        if self.directory.agency(health_agency, field="health_agency").kind != BodyKind.HEALTH:
            raise InvalidInput("health_agency", "%(health_agency)s is not a health body", values={"health_agency": health_agency})
        return self.cases.act(
            actor,
            case_id,
            lambda c: c.request_medical_examination(
                actor, examination_id, health_agency, reason, self._medical_consent(c, health_agency)
            ),
            reply=reply,
        )

    @retry_on_conflict
    def report_medical_examination(
        self, actor: Actor, case_id: UUID, examination_id: UUID, findings: str, reply: Reply | None = None
    ) -> Case:
        """The examining health body reports; it may touch this case for nothing else."""
        case = self.aggregates.load(Case, case_id, "case")
        exam = case.medical_examinations.get(examination_id)
        if exam is None or exam["health_agency"] != actor.agency:
            raise NotFound(f"no case {case_id}")
        case.report_medical_examination(actor, examination_id, findings)
        self.commit(actor, case, reply=reply)
        return case
