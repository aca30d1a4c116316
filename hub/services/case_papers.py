"""What the centre sends other bodies in writing, and the answers that come back (docs/decisions/0044).

The manager applies to the GTA or a court for authority to examine the child (cam N22); refers the family for
support to an NGO or social protection (N25), whose eligibility decision, with its reasons, answers the notice
and is recorded on the case in the same transaction (N26, T08); asks an NGO for a service inside the plan
(N44), whose progress comes back as answers of action taken. The social worker issues the meeting's
information pack (N30) and the reports before a care-plan review (N39, N40) to the bodies the meeting invited.
"""

from __future__ import annotations

from uuid import UUID

from hub.actor import Actor
from hub.aggregates.case import Case
from hub.aggregates.case_papers import ReviewReport
from hub.aggregates.notice import Answer, Notice
from hub.aggregates.vocabulary import BodyKind
from hub.errors import GuardViolation, NotFound
from hub.geography.units import geography
from hub.services.aggregates import Aggregates
from hub.services.cases import CaseService
from hub.services.commit import Commit, Reply
from hub.services.conflicts import retry_on_conflict
from hub.services.directory import DirectoryService

# The notice that refers a family for support services; its answer is the provider's decision (N26).
SUPPORT_REFERRAL_RULES = ("cam:N25",)
# Who may be asked: an NGO, or social protection as "another appropriate body" (8.5.3).
SUPPORT_PROVIDERS = frozenset({BodyKind.NGO, BodyKind.SOCIAL_PROTECTION})
MEDICAL_AUTHORITIES = frozenset({BodyKind.GTA, BodyKind.COURT})


class CasePaperService:
    def __init__(self, aggregates: Aggregates, directory: DirectoryService, cases: CaseService, commit: Commit) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self.cases = cases
        self.commit = commit

    def apply_for_medical_authority(
        self, actor: Actor, case_id: UUID, application_id: UUID, authority: BodyKind, reason: str, refused_by: str,
        reply: Reply | None = None,
    ) -> Case:
        if authority not in MEDICAL_AUTHORITIES:
            raise GuardViolation("medical-authority", "the GTA or a court authorises an examination", field="authority")
        return self.cases.decide(actor, case_id, lambda c: c.apply_for_medical_authority(
            actor, application_id, str(authority), reason, refused_by), reply=reply)

    def refer_for_support(
        self, actor: Actor, case_id: UUID, provider: str, services: list[str], reason: str, reply: Reply | None = None
    ) -> Case:
        def refer(case: Case) -> None:
            self._check_body(case, provider, SUPPORT_PROVIDERS, "provider")
            case.refer_for_support(actor, provider, services, reason)

        return self.cases.decide(actor, case_id, refer, reply=reply)

    @retry_on_conflict
    def answer_support_referral(
        self, actor: Actor, notice_id: UUID, answer: Answer, reasons: list[str], note: str | None,
        reply: Reply | None = None,
    ) -> Notice:
        """The provider's eligibility decision (N26): accepting closes the case with support services (T08),
        refusing (reasons required: eligibility, or no space) leaves the manager to refer elsewhere."""
        notice = self.aggregates.find(notice_id)
        if not isinstance(notice, Notice) or notice.recipient_agency != actor.agency or notice.rule not in SUPPORT_REFERRAL_RULES:
            raise NotFound(f"no notice {notice_id}")
        notice.give_answer(actor, answer, reasons, note)
        if answer not in (Answer.ACCEPT, Answer.REFUSE):
            self.commit(actor, notice, reply=reply)
            return notice
        case = self.aggregates.load(Case, notice.subject_id, "case")
        said = "; ".join([*notice.answer_reasons, *([note] if note else [])]) or None
        case.record_support_referral_outcome(actor, actor.agency, answer == Answer.ACCEPT, said)
        self.commit(actor, notice, case, reply=reply)
        return notice

    def issue_meeting_pack(
        self, actor: Actor, case_id: UUID, meeting_id: UUID, pack: str, health: str | None, reply: Reply | None = None
    ) -> Case:
        return self.cases.act(actor, case_id, lambda c: c.issue_meeting_pack(actor, meeting_id, pack, health), reply=reply)

    def issue_review_report(
        self, actor: Actor, case_id: UUID, meeting_id: UUID, report_kind: ReviewReport, report: str,
        reply: Reply | None = None,
    ) -> Case:
        return self.cases.act(
            actor, case_id, lambda c: c.issue_review_report(actor, meeting_id, report_kind, report), reply=reply
        )

    def request_service(
        self, actor: Actor, case_id: UUID, request_id: UUID, ngo: str, services: list[str], goals: str,
        reply: Reply | None = None,
    ) -> Case:
        def request(case: Case) -> None:
            self._check_body(case, ngo, frozenset({BodyKind.NGO}), "ngo")
            case.request_service(actor, request_id, ngo, services, goals)

        return self.cases.decide(actor, case_id, request, reply=reply)

    def _check_body(self, case: Case, code: str, kinds: frozenset[BodyKind], field: str) -> None:
        """The body asked is a registered one of those kinds in the centre's region: a notice goes to it."""
        agency = self.directory.find_agency(code)
        region = geography().region_of(self.directory.agency(case.managing_agency).unit)
        if agency is None or agency.kind not in kinds or geography().region_of(agency.unit) != region:
            raise GuardViolation(f"{field}-unknown", "%(code)s is not a %(kinds)s of the centre's region",
                                 values={"code": code, "kinds": " or ".join(sorted(kinds))},
                                 field=field)
