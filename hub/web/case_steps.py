"""Which of a case's forms are the steps its state waits for (cam-csc-manual §3.3), and why a case may not close.

The forms of other states' steps are not offered; those the manual allows at any point of an open case
(a legal basis, an emergency, a removal, a transfer...) stay on the page under the current steps.
"""

from __future__ import annotations

from hub.web.labels import N_

STEPS: dict[str, frozenset[str]] = {
    "initial_assessment": frozenset({"initial-assessment"}),
    "awaiting_support_referral": frozenset({"support-referral-outcome"}),
    "awaiting_criminal_outcome": frozenset({"criminal-outcomes"}),
    "social_assessment": frozenset({"social-assessment"}),
    "cp_meeting_pending": frozenset({"meetings", "protection-meeting"}),
    "cp_plan_drafting": frozenset({"protection-plan"}),
    "cp_plan_active": frozenset({"meetings", "protection-plan-reviews", "plan-amendments"}),
    "return_in_progress": frozenset({"safe-arrival"}),
    "care_plan_drafting": frozenset({"care-plan"}),
    "care_plan_pending_approval": frozenset({"care-plan-approvals"}),
    "care_plan_active": frozenset({"meetings", "care-plan-reviews", "placement-reviews", "plan-amendments"}),
    "transition_from_care": frozenset({"transition"}),
    "post_care_monitoring": frozenset({"follow-ups", "close", "reassessment"}),
}

STAGED = frozenset().union(*STEPS.values())

# Commands with a form of their own on the page: the intake checklist's buttons, the staff picker.
TAKEN_APART = frozenset({"intake-actions", "social-worker"})

# The guards on closing a case, in words (Annex E; 8.5.6; D40).
CLOSING_GUARDS = (
    N_("A case closes when an assessment, a meeting or a review decides that no further action is needed, "
       "or after the follow-ups at 1, 3, 6 and 12 months once a child has left care."),
    N_("It cannot close while a parent or legal representative faces charges about the child: the file stays "
       "open until the proceedings end (8.5.6)."),
    N_("Closing after monitoring needs every follow-up recorded; a concern at a follow-up reopens the assessment."),
)

# A plan's summary starts from what a child protection plan must say (cam-csc-manual 8.8.3 a, b, d, L3313-3364);
# its actions, who is responsible and by when (8.8.3 c) are the form's rows of items (docs/decisions/0052).
PLAN_OUTLINE = N_(
    "Risks of significant harm and how the child will be protected:\n\n"
    "Short-term and long-term objectives:\n\n"
    "Date of the next review (within 30 days of the start of the plan):\n"
)
