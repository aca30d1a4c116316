"""A case's timeline in words: one sentence a kind of event, instead of the event's class name."""

from __future__ import annotations

from hub.web.labels import N_

SENTENCES = {
    "Opened": N_("The case was opened from the referral."),
    "Closed": N_("The case was closed."),
    "SocialWorkerAssigned": N_("A social worker was allocated."),
    "IntakeActionRecorded": N_("An intake action was recorded."),
    "EmergencyReported": N_("An emergency was reported."),
    "InitialAssessmentConcluded": N_("The initial assessment was concluded."),
    "CriminalOutcomeRecorded": N_("The outcome of the criminal proceedings was recorded."),
    "SupportReferralOutcomeRecorded": N_("The outcome of the referral for support was recorded."),
    "SocialAssessmentConcluded": N_("The social assessment was concluded."),
    "MeetingScheduled": N_("A child protection meeting was scheduled."),
    "ProtectionMeetingHeld": N_("The child protection meeting was held."),
    "RecommendationsRejected": N_("The meeting's recommendations were rejected."),
    "ProtectionPlanFinalised": N_("The child protection plan was finalised."),
    "ProtectionPlanReviewed": N_("The child protection plan was reviewed."),
    "PlanAmended": N_("The plan was amended."),
    "SafeArrivalConfirmed": N_("The child's safe arrival was confirmed."),
    "CarePlanDeveloped": N_("A care plan was developed."),
    "CarePlanApproved": N_("The care plan was approved."),
    "CarePlanReviewed": N_("The care plan was reviewed."),
    "TransitionCompleted": N_("The transition from care was completed."),
    "FollowUpRecorded": N_("A follow-up visit was recorded."),
    "ReassessedAfterFollowUp": N_("The child was assessed again after the follow-up."),
    "ReferralAttached": N_("A further referral about the child was joined to the case."),
    "ParentCharged": N_("A parent was charged."),
    "RemovalDecided": N_("The removal of the child was decided."),
    "PlacementRecommended": N_("A placement was recommended."),
    "PlacementRecorded": N_("A placement was recorded."),
    "PlacementReviewed": N_("The placement was reviewed."),
    "FamilyTracingApproved": N_("Family tracing was approved."),
    "SupporterStepRecorded": N_("The independent supporter recorded a step."),
    "SupporterRecommendationIssued": N_("The independent supporter issued a recommendation."),
    "ChildViewsSubmitted": N_("The child's views were submitted."),
    "SupporterDeclinedByChild": N_("The child declined an independent supporter."),
    "LegalBasisRecorded": N_("The legal basis was recorded."),
    "MedicalExaminationRequested": N_("A medical examination was requested."),
    "MedicalExaminationReported": N_("The medical examination's findings were reported."),
    "TransferRequested": N_("A transfer to another region's centre was requested."),
    "TransferAccepted": N_("The receiving centre accepted the transfer."),
    "TransferDeclined": N_("The receiving centre declined the transfer."),
}
OTHER = N_("The case was updated.")


def sentence_of(event_name: str) -> str:
    """The message telling what an event of that name did; a kind not named here says only that the case changed."""
    return SENTENCES.get(event_name, OTHER)
