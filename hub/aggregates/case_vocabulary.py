"""States and decision outcomes of CAM/CSC case management (cam-csc-manual §3.2-3.3)."""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    INTAKE = "intake"  # S1/S2: file open, the 24-hour intake actions run (8.1.3)
    INITIAL_ASSESSMENT = "initial_assessment"  # S3 (8.3)
    AWAITING_SUPPORT_REFERRAL = "awaiting_support_referral"  # S4 (8.5.3)
    AWAITING_CRIMINAL_OUTCOME = "awaiting_criminal_outcome"  # S5 (8.5.6)
    SOCIAL_ASSESSMENT = "social_assessment"  # S6 (8.6)
    CP_MEETING_PENDING = "cp_meeting_pending"  # S7 (8.7)
    CP_PLAN_DRAFTING = "cp_plan_drafting"  # S8 (8.8)
    CP_PLAN_ACTIVE = "cp_plan_active"  # S9 (8.9)
    RETURN_IN_PROGRESS = "return_in_progress"  # S10 (8.9.10, 8.11.22)
    CARE_PLAN_DRAFTING = "care_plan_drafting"  # S11 (8.10)
    CARE_PLAN_PENDING_APPROVAL = "care_plan_pending_approval"  # S12 (8.10.10)
    CARE_PLAN_ACTIVE = "care_plan_active"  # S13 (8.11)
    TRANSITION_FROM_CARE = "transition_from_care"  # S14 (8.11.17)
    POST_CARE_MONITORING = "post_care_monitoring"  # S15 (8.11.18b)
    CLOSED = "closed"  # S16 (Annex E)


OPEN_STATES = frozenset(CaseState) - {CaseState.CLOSED}


class IntakeAction(StrEnum):
    """The actions due within 24 hours of a referral (8.1.3 a-f, D03-D05)."""

    GTA_NOTIFIED = "gta_notified"
    POLICE_INFORMED = "police_informed"
    JUVENILE_INSPECTION_INFORMED = "juvenile_inspection_informed"
    MIGRATION_SERVICE_INFORMED = "migration_service_informed"
    REFERRER_INFORMED = "referrer_informed"
    SUPPORTER_REQUESTED = "supporter_requested"
    PREVIOUS_REFERRALS_CHECKED = "previous_referrals_checked"


class InitialAssessmentOutcome(StrEnum):
    """8.5.1 a-c."""

    NO_FURTHER_ACTION = "no_further_action"
    SUPPORT_SERVICES = "support_services"
    SIGNIFICANT_HARM_CONCERN = "significant_harm_concern"


class SocialAssessmentConclusion(StrEnum):
    """8.6.10 a-f."""

    NO_FURTHER_ACTION = "no_further_action"
    SUPPORT_SERVICES = "support_services"
    CHILD_PROTECTION_MEETING = "child_protection_meeting"
    REUNIFICATION_MEETING = "reunification_meeting"
    REMOVAL_TO_ALTERNATIVE_CARE = "removal_to_alternative_care"
    ALTERNATIVE_CARE_NO_REUNIFICATION = "alternative_care_no_reunification"


class MeetingRecommendation(StrEnum):
    """8.7.18-8.7.21."""

    NO_FURTHER_ACTION = "no_further_action"
    SUPPORT_SERVICES = "support_services"
    CHILD_PROTECTION_PLAN = "child_protection_plan"
    RETURN_PLAN = "return_plan"
    CARE_PLAN = "care_plan"


class PlanReviewOutcome(StrEnum):
    """8.9.5: a continue, b amend, c/d reassess, e no longer necessary."""

    CONTINUE = "continue"
    AMEND = "amend"
    REASSESS = "reassess"
    NO_LONGER_NECESSARY = "no_longer_necessary"


class CarePlanReviewOutcome(StrEnum):
    """8.11.16 a-c, and a care plan that returns the child abroad (T34)."""

    CONTINUE = "continue"
    AMEND = "amend"
    NO_LONGER_NECESSARY = "no_longer_necessary"
    RETURN_ABROAD = "return_abroad"


class TransitionOutcome(StrEnum):
    """How a transition from care ends (T35-T37)."""

    CHILD_PROTECTION_PLAN = "child_protection_plan"
    POST_CARE_MONITORING = "post_care_monitoring"
    TRANSFERRED_AT_18 = "transferred_at_18"


class CarePlanApprover(StrEnum):
    """Who signs a care plan before it takes effect (8.10.10, T31)."""

    GTA = "gta"
    CIM = "cim"
    CARE_PROVIDER = "care_provider"
    FOREIGN_AUTHORITY = "foreign_authority"


FOLLOW_UP_MONTHS = (1, 3, 6, 12)  # D40


class SupporterStep(StrEnum):
    """What follows a request for an independent supporter (9.3, D42-D44), as the NGO reports it."""

    NGO_ACCEPTED = "ngo_accepted"  # the Programme Coordinator confirms (D42)
    NGO_DECLINED = "ngo_declined"  # ... or refuses, with reasons (D42)
    SUPPORTER_CONTACTED = "supporter_contacted"  # the supporter contacts the manager (D43)
    FIRST_MEETING_HELD = "first_meeting_held"  # the child meets the supporter (D44)


class MeetingKind(StrEnum):
    """The meetings a CAM/CSC convenes and invites other bodies to (cam N20, N28, N38; 8.4, 8.7, 8.9, 8.11)."""

    PLACEMENT_REVIEW = "placement_review"  # the monthly review of the residential unit placement (8.4, D18)
    CHILD_PROTECTION_MEETING = "child_protection_meeting"  # 8.7, within 7 working days (D22)
    PROTECTION_PLAN_REVIEW = "protection_plan_review"  # 8.9.1
    CARE_PLAN_REVIEW = "care_plan_review"  # 8.11.6, every three months (D32)


REVIEWS = frozenset({MeetingKind.PROTECTION_PLAN_REVIEW, MeetingKind.CARE_PLAN_REVIEW})
