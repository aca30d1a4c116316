"""Everything the hub holds about one child, as the policy's conditions need to see it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from hub.aggregates.allegation import Allegation
from hub.aggregates.archival import Archival
from hub.aggregates.attachment import Attachment
from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import CaseState
from hub.aggregates.child import Child
from hub.aggregates.consent import Consent
from hub.aggregates.escalation import Escalation
from hub.aggregates.glass_break import GlassBreak
from hub.aggregates.notice import Notice
from hub.aggregates.referral import OPEN, Referral
from hub.aggregates.vocabulary import BodyKind
from hub.records.allegation import allegation_record
from hub.records.attachment import attachment_record
from hub.records.case import case_record
from hub.records.child import child_record
from hub.records.consent import consent_record
from hub.records.medical_examination import medical_examination_records
from hub.records.notice import glass_break_notice, notice_record, overdue_notice
from hub.records.referral import referral_record


@dataclass(frozen=True)
class AgencyRef:
    code: str
    kind: BodyKind
    unit: str  # where it works: a unit's code (hub/geography/units.yaml)


@dataclass
class Dossier:
    child: Child
    referrals: list[Referral] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    glass_breaks: list[GlassBreak] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    allegations: list[Allegation] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)  # notes and files (decision 0047)
    archival: Archival | None = None  # handed to the archive: out of every operational view (decision 0019)

    @property
    def child_id(self) -> UUID:
        return self.child.id

    @property
    def city(self) -> str | None:
        """Where the child is: a unit's code (hub/geography/units.yaml)."""
        return self.child.identity.get("city")

    def open_matter(self) -> str | None:
        """What keeps the file open, if anything: a case not closed, or a referral not yet decided."""
        if any(case.state != CaseState.CLOSED for case in self.cases):
            return "case"
        if any(referral.state in OPEN for referral in self.referrals):
            return "referral"
        return None

    def case_of(self, referral: Referral) -> Case | None:
        return next((c for c in self.cases if c.id == referral.case_id), None)


@dataclass(frozen=True)
class RecordRef:
    """One record of a dossier, with the aggregate (or examination) it was built from."""

    record_type: str
    record_id: UUID
    record: dict[str, Any]
    subject: Any


def record_of(dossier: Dossier, record_type: str, record_id: UUID, now: datetime) -> RecordRef | None:
    """One record of the dossier, built alone: what a command's answer needs, whatever the child's history."""
    if record_type == "child" and record_id == dossier.child.id:
        return RecordRef("child", dossier.child.id, child_record(dossier.child, now.date()), dossier.child)
    if record_type == "referral":
        referral = next((r for r in dossier.referrals if r.id == record_id), None)
        return None if referral is None else _referral_ref(dossier, referral)
    if record_type == "case":
        case = next((c for c in dossier.cases if c.id == record_id), None)
        return None if case is None else RecordRef("case", case.id, case_record(case), case)
    if record_type == "consent":
        consent = next((c for c in dossier.consents if c.id == record_id), None)
        return None if consent is None else RecordRef("consent", consent.id, consent_record(consent, now), consent)
    if record_type == "allegation":
        allegation = next((a for a in dossier.allegations if a.id == record_id), None)
        return None if allegation is None else RecordRef("allegation", allegation.id, allegation_record(allegation), allegation)
    return next((r for r in records_of(dossier, now) if (r.record_type, r.record_id) == (record_type, record_id)), None)


def _referral_ref(dossier: Dossier, referral: Referral) -> RecordRef:
    told = [n for n in dossier.notices if n.subject_id == referral.id]
    return RecordRef("referral", referral.id, referral_record(referral, dossier.case_of(referral), told), referral)


def records_of(dossier: Dossier, now: datetime) -> list[RecordRef]:
    return list(each_record(dossier, now))


def each_record(dossier: Dossier, now: datetime) -> Iterator[RecordRef]:
    """The dossier's records one by one, each built only when it is reached."""
    today = now.date()
    yield RecordRef("child", dossier.child.id, child_record(dossier.child, today), dossier.child)
    for referral in dossier.referrals:
        yield _referral_ref(dossier, referral)
    for case in dossier.cases:
        yield RecordRef("case", case.id, case_record(case), case)
        for exam in medical_examination_records(case, dossier.child, today):
            yield RecordRef("medical_examination", UUID(exam["id"]), exam, exam)
    for consent in dossier.consents:
        yield RecordRef("consent", consent.id, consent_record(consent, now), consent)
    for allegation in dossier.allegations:
        yield RecordRef("allegation", allegation.id, allegation_record(allegation), allegation)
    for attachment in dossier.attachments:
        yield RecordRef(attachment.item, attachment.id, attachment_record(attachment), attachment)
    managers = sorted({c.managing_agency for c in dossier.cases})
    for opening in dossier.glass_breaks:
        yield RecordRef("notice", opening.id, glass_break_notice(opening, opening.notify or managers), opening)
    for escalation in dossier.escalations:
        yield RecordRef("notice", escalation.id, overdue_notice(escalation), escalation)
    for notice in dossier.notices:
        yield RecordRef("notice", notice.id, notice_record(notice), notice)
