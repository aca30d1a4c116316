"""The referral record (Annex C content, routing and the receiving body's answer)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import CaseState, InitialAssessmentOutcome
from hub.aggregates.notice import Notice
from hub.aggregates.referral import Referral, ReferralState

# What a referrer may be told of the assessment (cam-csc-manual P-10: 8.5.2, 8.5.4, N27):
# never the reasons, only where the matter stands.
_CONCLUSIONS = {
    InitialAssessmentOutcome.NO_FURTHER_ACTION: "not_at_risk_of_significant_harm",
    InitialAssessmentOutcome.SUPPORT_SERVICES: "not_at_risk_of_significant_harm",
    InitialAssessmentOutcome.SIGNIFICANT_HARM_CONCERN: "still_being_considered",
}


class ReferralRecord(BaseModel):
    """A referral."""

    id: UUID
    state: ReferralState
    version: int
    referrer_agency: str
    recipient_agency: str
    routing_reason: str
    child_id: UUID
    case_id: UUID | None
    decline_reasons: list[str]
    redirected_to: str | None
    redirected_from: UUID | None
    onward_referral_id: UUID | None
    outcome_reason: str | None
    routing_rule: str | None
    notices: list[dict[str, Any]]  # the bodies told of it, and where each notice stands (the notices' own records)
    linked_from: UUID | None
    linked_to_child: UUID | None
    duplicate_checks: list[dict[str, Any]]
    assessment_conclusion: str | None
    another_minor: str | None  # another child is in the matter, and as what: nothing of who (decision 0050)
    family_wish_withdrawn: dict[str, str] | None  # when and through whom the child let the parents be told (0050)
    submitted_at: datetime
    updated_at: datetime
    content: dict[str, Any]


def assessment_conclusion(case: Case | None) -> str | None:
    if case is None:
        return None
    if case.initial_outcome is None:
        return "under_assessment" if case.state != CaseState.CLOSED else None
    return _CONCLUSIONS[case.initial_outcome]


def notices_told(notices: list[Notice]) -> list[dict[str, Any]]:
    return [
        {"id": str(n.id), "rule": n.rule, "to": n.recipient_agency, "kind": n.recipient_kind, "state": str(n.state),
         "acknowledged_at": n.acknowledged_at.isoformat() if n.acknowledged_at else None, "answer": n.answer}
        for n in sorted(notices, key=lambda n: (n.rule, n.recipient_agency or "", str(n.id)))
    ]


def referral_record(referral: Referral, case: Case | None, notices: list[Notice]) -> dict[str, Any]:
    """``notices``: those raised on the referral."""
    record = ReferralRecord(
        id=referral.id,
        state=referral.state,
        version=referral.version,
        referrer_agency=referral.referrer_agency,
        recipient_agency=referral.recipient_agency,
        routing_reason=referral.routing_reason,
        child_id=referral.child_id,
        case_id=referral.case_id,
        decline_reasons=referral.decline_reasons,
        redirected_to=referral.redirected_to,
        redirected_from=referral.redirected_from,
        onward_referral_id=referral.onward_referral_id,
        outcome_reason=referral.outcome_reason,
        routing_rule=referral.routing_rule,
        notices=notices_told(notices),
        linked_from=referral.linked_from,
        linked_to_child=referral.linked_to_child,
        duplicate_checks=referral.duplicate_checks,
        assessment_conclusion=assessment_conclusion(case),
        another_minor=referral.another_minor,
        family_wish_withdrawn=referral.family_wish_withdrawn,
        submitted_at=referral.created_on,
        updated_at=referral.modified_on,
        content={},
    ).model_dump(mode="json")
    # The content model's own dump is already what JSON holds: checked as a dict of anything and dumped again with
    # the record, it came out equal, for a fifth of the record's cost (docs/decisions/0065). Same place, last.
    record["content"] = referral.content.model_dump(mode="json")
    return record
