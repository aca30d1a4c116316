"""/v1/cases: the CAM/CSC's case management commands, and partner bodies' parts of a case.

The table at the end pairs each path with its body, its permission and its
service command (see hub.api.routes.commands).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from hub.api.auth import Caller, permitted
from hub.api.deps import Cases, Medical, Papers, ParentalRights, Reads, Reassignments, Supporter, Transfers
from hub.api.problems import problem_responses
from hub.api.routes.commands import Run, command_route
from hub.api.schemas import cases as s
from hub.records.case import CaseRecord
from hub.records.partial import partial

router = APIRouter(prefix="/v1/cases", tags=["cases"])


VisibleCase = partial(CaseRecord)


@router.get(
    "/{case_id}", response_model=VisibleCase, response_model_exclude_unset=True,
    responses=problem_responses(401, 403, 404, 422),
)
def read(case_id: UUID, caller: Annotated[Caller, Depends(permitted("case.read"))], reads: Reads) -> Any:
    return reads.show(caller.actor, "case", case_id)


@router.get(
    "/{case_id}/timeline", response_model=list[s.TimelineEntry], responses=problem_responses(401, 403, 404, 422)
)
def timeline(
    case_id: UUID, caller: Annotated[Caller, Depends(permitted("case.read"))], reads: Reads
) -> list[s.TimelineEntry]:
    return [s.TimelineEntry.of(e) for e in reads.case_history(caller.actor, case_id)]


def _command(
    path: str, body_type: type[BaseModel], permission: str, run: Run, summary: str, service: Any = Cases
) -> None:
    command_route(router, path, "case_id", body_type, permission, service, run, summary, VisibleCase)


def _partner_command(
    path: str, body_type: type[BaseModel], permission: str, run: Run, summary: str, service: Any = Cases
) -> None:
    """Bodies outside the centre record their part and learn nothing else about the case."""
    command_route(
        router, path, "case_id", body_type, permission, service, run, summary, s.Recorded,
        lambda case: s.Recorded(case_id=case.id, recorded=summary, at=case.modified_on),
    )


_command("/{case_id}/intake-actions", s.RecordIntakeAction, "case.intake_action",
         lambda h, a, c, b, r: h.record_intake_action(a, c, b.action, b.note, reply=r), "Record an intake action")
_command("/{case_id}/plan-amendments", s.AmendPlan, "case.decide",
         lambda h, a, c, b, r: h.amend_plan(a, c, b.plan, [i.item() for i in b.items], reply=r), "Amend the plan after a review")
_command("/{case_id}/placement-reviews", s.ReviewPlacement, "case.decide",
         lambda h, a, c, b, r: h.review_placement(a, c, b.minutes, reply=r), "Review the placement")
_command("/{case_id}/emergency", s.ReportEmergency, "case.emergency",
         lambda h, a, c, b, r: h.report_emergency(a, c, b.description, reply=r), "Report an emergency")
_command("/{case_id}/social-worker", s.AssignSocialWorker, "case.assign_social_worker",
         lambda h, a, c, b, r: h.assign_social_worker(a, c, b.social_worker, b.evidence_of_harm, reply=r),
         "Assign a social worker")
_command("/{case_id}/initial-assessment", s.ConcludeInitialAssessment, "case.decide",
         lambda h, a, c, b, r: h.conclude_initial_assessment(a, c, b.outcome, b.summary, b.follow_up, reply=r),
         "Conclude the initial assessment")
_command("/{case_id}/support-referral-outcome", s.RecordSupportReferralOutcome, "case.decide",
         lambda h, a, c, b, r: h.record_support_referral_outcome(a, c, b.provider, b.accepted, b.reason, b.follow_up, reply=r),
         "Record the support referral outcome")
_command("/{case_id}/social-assessment", s.ConcludeSocialAssessment, "case.decide",
         lambda h, a, c, b, r: h.conclude_social_assessment(a, c, b.conclusion, b.summary, b.follow_up, reply=r),
         "Conclude the social assessment")
_command("/{case_id}/protection-meeting", s.HoldProtectionMeeting, "case.decide",
         lambda h, a, c, b, r: h.hold_protection_meeting(a, c, b.recommendation, b.minutes, b.follow_up, reply=r,
                                                          professional_discussion=b.professional_discussion),
         "Record the child protection meeting")
_command("/{case_id}/protection-plan", s.FinaliseProtectionPlan, "case.decide",
         lambda h, a, c, b, r: h.finalise_protection_plan(
             a, c, b.plan, b.parent_agreed, b.foreign_case_manager, [i.item() for i in b.items], reply=r),
         "Finalise the child protection plan")
_command("/{case_id}/protection-plan/reviews", s.ReviewProtectionPlan, "case.decide",
         lambda h, a, c, b, r: h.review_protection_plan(a, c, b.outcome, b.minutes, b.follow_up, reply=r),
         "Review the child protection plan")
_command("/{case_id}/care-plan", s.DevelopCarePlan, "case.decide",
         lambda h, a, c, b, r: h.develop_care_plan(a, c, b.plan, b.approvers, [i.item() for i in b.items], reply=r),
         "Develop the care plan")
_command("/{case_id}/care-plan/reviews", s.ReviewCarePlan, "case.decide",
         lambda h, a, c, b, r: h.review_care_plan(a, c, b.outcome, b.minutes, reply=r), "Review the care plan")
_command("/{case_id}/transition", s.CompleteTransition, "case.decide",
         lambda h, a, c, b, r: h.complete_transition(a, c, b.outcome, b.receiving_body, reply=r),
         "Complete the transition from care")
_command("/{case_id}/follow-ups", s.RecordFollowUp, "case.follow_up",
         lambda h, a, c, b, r: h.record_follow_up(a, c, b.month, b.concern, b.notes, reply=r), "Record a follow-up")
_command("/{case_id}/reassessment", s.ReassessAfterFollowUp, "case.decide",
         lambda h, a, c, b, r: h.reassess_after_follow_up(a, c, b.reason, reply=r), "Reassess after a follow-up concern")
_command("/{case_id}/close", s.CloseAfterMonitoring, "case.decide",
         lambda h, a, c, b, r: h.close_after_monitoring(a, c, b.follow_up, reply=r), "Close after monitoring")

_command("/{case_id}/legal-bases", s.RecordLegalBasis, "case.legal_basis",
         lambda h, a, c, b, r: h.record_legal_basis(a, c, b.recipient, b.basis, b.reference, reply=r),
         "Record a legal basis for disclosure", Medical)
_command("/{case_id}/medical-examinations", s.RequestMedicalExamination, "case.medical_request",
         lambda h, a, c, b, r: h.request_medical_examination(a, c, b.examination_id, b.health_agency, b.reason, reply=r),
         "Request a medical examination", Medical)
_partner_command("/{case_id}/medical-examinations/report", s.ReportMedicalExamination, "case.medical_report",
                 lambda h, a, c, b, r: h.report_medical_examination(a, c, b.examination_id, b.findings, reply=r),
                 "Report a medical examination", Medical)
_partner_command("/{case_id}/placements", s.RecordPlacement, "case.placement",
                 lambda h, a, c, b, r: h.record_placement(
                     a, c, b.placement, b.decision_reference, b.institution, b.unit, reply=r),
                 "Record a placement decision")
_partner_command("/{case_id}/charges", s.RecordCharge, "case.proceedings",
                 lambda h, a, c, b, r: h.record_charge(a, c, b.charge_id, b.person, b.offence, reply=r),
                 "Record a charge against a parent")
_partner_command("/{case_id}/criminal-outcomes", s.RecordCriminalOutcome, "case.proceedings",
                 lambda h, a, c, b, r: h.record_criminal_outcome(a, c, b.charge_id, b.found_responsible, reply=r),
                 "Record the outcome of proceedings")
_partner_command("/{case_id}/care-plan/approvals", s.ApproveCarePlan, "case.approve_care_plan",
                 lambda h, a, c, b, r: h.approve_care_plan(a, c, b.approver, reply=r), "Approve the care plan")
# The NGO's side of an independent supporter (docs/decisions/0034): the NGO that accepted the request records
# its part; the case manager is told by notices (cam N10, N11, N45; ngo N17, N18).
_partner_command("/{case_id}/supporter-steps", s.RecordSupporterStep, "supporter.step",
                 lambda h, a, c, b, r: h.record_step(a, c, b.step, b.note, reply=r),
                 "Record an independent supporter step", Supporter)
_partner_command("/{case_id}/supporter/recommendations", s.IssueSupporterRecommendation, "supporter.recommend",
                 lambda h, a, c, b, r: h.recommend(a, c, b.text, reply=r),
                 "Send the supporter's recommendation to the case manager", Supporter)
_partner_command("/{case_id}/supporter/views", s.SubmitChildViews, "supporter.submit_views",
                 lambda h, a, c, b, r: h.submit_views(a, c, b.capacity, b.views, b.supporter_view, b.reasons, reply=r),
                 "Convey the child's views to the case manager", Supporter)
_partner_command("/{case_id}/supporter/declined-by-child", s.RecordChildDeclinedSupporter, "supporter.child_declined",
                 lambda h, a, c, b, r: h.child_declined(a, c, b.note, reply=r),
                 "Record that the mature child declined the supporter", Supporter)
_command("/{case_id}/safe-arrival", s.ConfirmSafeArrival, "case.decide",
         lambda h, a, c, b, r: h.confirm_safe_arrival(a, c, b.confirmed_by, b.follow_up, reply=r),
         "Record the confirmed safe arrival")

# The steps that tell other bodies: each raises the manual's notices (docs/decisions/0037).
_command("/{case_id}/removal", s.DecideRemoval, "case.remove",
         lambda h, a, c, b, r: h.decide_removal(a, c, b.reasons, reply=r), "Decide the child must be removed")
_command("/{case_id}/placement-recommendations", s.RecommendPlacement, "case.recommend_placement",
         lambda h, a, c, b, r: h.recommend_placement(a, c, b.placement, b.reasons, b.tell_cim, reply=r),
         "Recommend a placement to the GTA")
_command("/{case_id}/meetings", s.ScheduleMeeting, "case.schedule_meeting",
         lambda h, a, c, b, r: h.schedule_meeting(a, c, b.meeting_id, b.meeting, b.at, b.venue, b.invitees, reply=r),
         "Schedule a meeting and invite bodies")
_command("/{case_id}/meetings/rejections", s.RejectRecommendations, "case.reject_recommendations",
         lambda h, a, c, b, r: h.reject_recommendations(a, c, b.meeting_id, b.recommendations, b.reasons, reply=r),
         "Reject a review's recommendations")
_command("/{case_id}/family-tracing", s.ApproveFamilyTracing, "case.approve_tracing",
         lambda h, a, c, b, r: h.approve_family_tracing(a, c, b.best_interests, b.risk_checked, reply=r),
         "Approve family tracing")

# A case moving to another region's centre, in two steps (docs/decisions/0039).
_command("/{case_id}/transfer", s.RequestTransfer, "case.transfer",
         lambda h, a, c, b, r: h.request(a, c, b.to_agency, b.unit, b.reason, reply=r),
         "Ask another centre to take the case over", Transfers)
_command("/{case_id}/transfer/accept", s.AcceptTransfer, "case.transfer",
         lambda h, a, c, b, r: h.accept(a, c, reply=r), "Accept a case transferred to this centre", Transfers)
_command("/{case_id}/transfer/decline", s.DeclineTransfer, "case.transfer",
         lambda h, a, c, b, r: h.decline(a, c, b.reasons, reply=r), "Decline a case transferred to this centre",
         Transfers)

# What the centre sends in writing: each raises the manual's notice (docs/decisions/0044).
_command("/{case_id}/medical-authority-applications", s.ApplyForMedicalAuthority, "case.medical_application",
         lambda h, a, c, b, r: h.apply_for_medical_authority(a, c, b.application_id, b.authority, b.reason, b.refused_by,
                                                             reply=r),
         "Apply to the GTA or a court for authority to examine the child", Papers)
_command("/{case_id}/support-referrals", s.ReferForSupport, "case.support_referral",
         lambda h, a, c, b, r: h.refer_for_support(a, c, b.provider, b.services, b.reason, reply=r),
         "Refer the family for support services (Annex F)", Papers)
_command("/{case_id}/meetings/packs", s.IssueMeetingPack, "case.meeting_papers",
         lambda h, a, c, b, r: h.issue_meeting_pack(a, c, b.meeting_id, b.pack, b.health, reply=r),
         "Send the meeting's information pack to the members invited", Papers)
_command("/{case_id}/meetings/reports", s.IssueReviewReport, "case.meeting_papers",
         lambda h, a, c, b, r: h.issue_review_report(a, c, b.meeting_id, b.report_kind, b.report, reply=r),
         "Send the written reports to the members of a care-plan review", Papers)
_command("/{case_id}/service-requests", s.RequestService, "case.request_service",
         lambda h, a, c, b, r: h.request_service(a, c, b.request_id, b.ngo, b.services, b.goals, reply=r),
         "Ask an NGO for a service inside the plan", Papers)

# The people of a case and the family's proceedings (docs/decisions/0042).
_command("/{case_id}/reassignment", s.RequestReassignment, "case.reassign",
         lambda h, a, c, b, r: h.request(a, c, b.to_worker, b.reason, reply=r),
         "Ask for another social worker", Reassignments)
_command("/{case_id}/reassignment/approve", s.ApproveReassignment, "case.approve_reassignment",
         lambda h, a, c, b, r: h.approve(a, c, reply=r), "Approve a change of social worker", Reassignments)
_command("/{case_id}/reassignment/decline", s.DeclineReassignment, "case.approve_reassignment",
         lambda h, a, c, b, r: h.decline(a, c, b.reasons, reply=r), "Decline a change of social worker",
         Reassignments)
_command("/{case_id}/risk", s.AssessRisk, "case.assess_risk",
         lambda h, a, c, b, r: h.assess_risk(a, c, b.level, b.reasons, reply=r), "Set the risk level")
_partner_command("/{case_id}/parental-rights", s.StartParentalRights, "case.parental_rights",
                 lambda h, a, c, b, r: h.start(a, c, b.proceedings_id, b.measure, b.parent, b.court, b.grounds,
                                               reply=r),
                 "Record parental-rights proceedings started", ParentalRights)
_partner_command("/{case_id}/parental-rights/hearings", s.ScheduleParentalRightsHearing, "case.parental_rights",
                 lambda h, a, c, b, r: h.schedule_hearing(a, c, b.proceedings_id, b.at, reply=r),
                 "Record a parental-rights hearing date", ParentalRights)
_partner_command("/{case_id}/parental-rights/decision", s.DecideParentalRights, "case.parental_rights",
                 lambda h, a, c, b, r: h.decide(a, c, b.proceedings_id, b.outcome, b.decision_reference, reply=r),
                 "Record the court's decision on parental rights", ParentalRights)
