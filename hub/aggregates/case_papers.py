"""What the centre sends other bodies in writing (cam-csc-manual §6 N22, N25, N30, N39, N40, N44): each is an
event of the case the notices of hub/policy/notices.yaml are raised on, in the command's transaction, carrying
its text to the bodies told (docs/decisions/0044).

An application for authority to examine the child medically (N22), a support referral to an NGO or social
protection (N25, answered by N26), the meeting's information pack (N30), the reports before a care-plan review
(N39, N40) and a request to an NGO to provide a service inside the plan (N44). The minutes (N31) and the final
plan (N32) are told on the events that already record them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from hub import clock
from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.aggregates.case_vocabulary import OPEN_STATES, CaseState, MeetingKind
from hub.errors import GuardViolation

# A plan the NGO's service is part of (N44): a protection, return or care plan in force.
PLAN_STATES = frozenset({CaseState.CP_PLAN_ACTIVE, CaseState.RETURN_IN_PROGRESS, CaseState.CARE_PLAN_ACTIVE})


class ReviewReport(StrEnum):
    PROGRESS = "progress"  # the social worker's own report, at least 7 days before (N39, D35)
    MEMBERS = "members"  # the carer's and other professionals' reports made available (N40, D36)


def _stated(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise GuardViolation(f"{field.replace('_', '-')}-required", message, field=field)
    return value.strip()


class CasePapers(HubAggregate):
    def _init_papers(self) -> None:
        self.medical_applications: dict[UUID, dict[str, Any]] = {}
        self.support_referrals: list[dict[str, Any]] = []
        self.service_requests: dict[UUID, dict[str, Any]] = {}

    # N22 (8.3.22): consent withheld by the parent and the child not mature: the manager asks the GTA, or a court.

    def apply_for_medical_authority(
        self, actor: Actor, application_id: UUID, recipient: str, reason: str, refused_by: str
    ) -> None:
        self.require_state("apply_for_medical_authority", OPEN_STATES)
        if application_id in self.medical_applications:
            raise GuardViolation("application-made", "this application is already made", field="application_id")
        self._medical_consent_application_made(
            actor=actor, application_id=application_id, recipient=recipient,
            reason=_stated(reason, "reason", "say why the child must be examined"),
            refused_by=_stated(refused_by, "refused_by", "say who withheld consent and why"),
        )

    @event("MedicalConsentApplicationMade")
    def _medical_consent_application_made(
        self, actor: Actor, application_id: UUID, recipient: str, reason: str, refused_by: str
    ) -> None:
        self.medical_applications[application_id] = {"at": self.modified_on, "to": recipient, "reason": reason,
                                                      "refused_by": refused_by}

    # N25 (8.5.3, Annex F): after decision 8.5.1b the family is referred to an NGO or another appropriate body;
    # the provider's eligibility decision answers the notice (N26) and is the case's T08.

    def refer_for_support(self, actor: Actor, recipient: str, services: list[str], reason: str) -> None:
        self.require_state("refer_for_support", [CaseState.AWAITING_SUPPORT_REFERRAL])
        if any(r["recipient"] == recipient and r["outcome"] is None for r in self.support_referrals):
            raise GuardViolation("support-referred", "%(recipient)s has not answered the referral yet",
                                 values={"recipient": recipient}, field="recipient")
        if not services:
            raise GuardViolation("services-required", "name the services asked for (Annex F D1)", field="services")
        self._support_referral_made(actor=actor, recipient=recipient, services=sorted(set(services)),
                                    reason=_stated(reason, "reason", "say why the family needs them (Annex F D2)"))

    @event("SupportReferralMade")
    def _support_referral_made(self, actor: Actor, recipient: str, services: list[str], reason: str) -> None:
        self.support_referrals.append({"at": self.modified_on, "recipient": recipient, "services": services,
                                       "reason": reason, "outcome": None})

    def _support_referral_answered(self, provider: str, outcome: str) -> None:
        for referral in self.support_referrals:
            if referral["recipient"] == provider and referral["outcome"] is None:
                referral["outcome"] = outcome

    # N30 (8.7.11-8.7.12): the information pack, confidential, to the professional members before the meeting.

    def issue_meeting_pack(self, actor: Actor, meeting_id: UUID, pack: str, health: str | None) -> None:
        self.require_state("issue_meeting_pack", OPEN_STATES)
        meeting = self._meeting_to_come(meeting_id, {MeetingKind.CHILD_PROTECTION_MEETING})
        self._meeting_pack_issued(actor=actor, meeting_id=meeting_id, invitees=meeting["invitees"],
                                  pack=_stated(pack, "pack", "the pack (8.7.11 a, c-h) is the notice's content"),
                                  health=health.strip() if health and health.strip() else None)

    @event("MeetingPackIssued")
    def _meeting_pack_issued(
        self, actor: Actor, meeting_id: UUID, invitees: list[str], pack: str, health: str | None
    ) -> None:
        self.meetings[meeting_id]["pack_issued_at"] = self.modified_on  # type: ignore[attr-defined]

    # N39, N40 (8.11.10-8.11.11): the written reports before a care-plan review, to its members.

    def issue_review_report(self, actor: Actor, meeting_id: UUID, report_kind: ReviewReport, report: str) -> None:
        self.require_state("issue_review_report", OPEN_STATES)
        meeting = self._meeting_to_come(meeting_id, {MeetingKind.CARE_PLAN_REVIEW})
        self._review_report_issued(actor=actor, meeting_id=meeting_id, invitees=meeting["invitees"],
                                   report_kind=str(report_kind), report=_stated(report, "report", "the report is the notice"))

    @event("ReviewReportIssued")
    def _review_report_issued(
        self, actor: Actor, meeting_id: UUID, invitees: list[str], report_kind: str, report: str
    ) -> None:
        self.meetings[meeting_id].setdefault("reports", []).append(  # type: ignore[attr-defined]
            {"kind": report_kind, "at": self.modified_on})

    def _meeting_to_come(self, meeting_id: UUID, kinds: set[MeetingKind]) -> dict[str, Any]:
        meeting = self.meetings.get(meeting_id)  # type: ignore[attr-defined]
        if meeting is None or MeetingKind(meeting["meeting"]) not in kinds:
            raise GuardViolation("no-meeting", "no %(kinds)s was convened",
                                 values={"kinds": " or ".join(sorted(kinds))}, field="meeting_id")
        if meeting["at"] <= clock.now():
            raise GuardViolation("meeting-held", "the papers go to the members before the meeting", field="meeting_id")
        return dict(meeting)

    # N44 (Part 4, ngo §2.6): the NGO is asked to provide a service inside the plan; case management stays with the
    # centre; the NGO accepts or refuses, then reports what it did (answers action_taken, ngo P-13).

    def request_service(self, actor: Actor, request_id: UUID, recipient: str, services: list[str], goals: str) -> None:
        self.require_state("request_service", PLAN_STATES)
        if request_id in self.service_requests:
            raise GuardViolation("service-requested", "this request is already made", field="request_id")
        if not services:
            raise GuardViolation("services-required", "name the services asked for", field="services")
        self._service_requested(actor=actor, request_id=request_id, recipient=recipient, services=sorted(set(services)),
                                goals=_stated(goals, "goals", "say how the service fits the plan (ngo 10.3.4 g)"))

    @event("ServiceRequested")
    def _service_requested(self, actor: Actor, request_id: UUID, recipient: str, services: list[str], goals: str) -> None:
        self.service_requests[request_id] = {"at": self.modified_on, "recipient": recipient, "services": services,
                                             "goals": goals}
