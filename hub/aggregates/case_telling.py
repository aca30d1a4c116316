"""The case steps that tell other bodies (cam-csc-manual §6 N14-N40): each is an event the notices of
hub/policy/notices.yaml are raised on, in the command's transaction (docs/decisions/0037).

A removal decided (N14, N15), a placement recommended to the GTA or CIM (N17, N19), a meeting convened with
the bodies it invites (N20, N28, N38) and the reasons for rejecting a review's recommendations (N33),
family tracing approved (N23). The guards are the manual's: what the step needs before it may be taken.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from hub import clock
from hub.actor import Actor
from hub.aggregates.case_papers import CasePapers
from hub.aggregates.case_vocabulary import OPEN_STATES, REVIEWS, CaseState, MeetingKind
from hub.aggregates.vocabulary import PlacementType
from hub.errors import GuardViolation

# The state each meeting is convened in (cam §3.3); a placement review needs the residential unit instead.
MEETING_STATES = {
    MeetingKind.CHILD_PROTECTION_MEETING: CaseState.CP_MEETING_PENDING,
    MeetingKind.PROTECTION_PLAN_REVIEW: CaseState.CP_PLAN_ACTIVE,
    MeetingKind.CARE_PLAN_REVIEW: CaseState.CARE_PLAN_ACTIVE,
}
# A removal is carried out by the juvenile inspector and recorded as a placement, never recommended.
NOT_RECOMMENDED = frozenset({PlacementType.REMOVED_TEMPORARY_PROTECTION, PlacementType.HOMELESS_STREET})


def _required(text: str, field: str, rule: str, message: str) -> str:
    if not text.strip():
        raise GuardViolation(rule, message, field=field)
    return text.strip()


class CaseTelling(CasePapers):
    def _init_telling(self) -> None:
        self._init_papers()
        self.removal_decision: dict[str, Any] | None = None
        self.placement_recommendation: dict[str, Any] | None = None
        self.meetings: dict[UUID, dict[str, Any]] = {}
        self.family_tracing: dict[str, Any] | None = None

    # Removal (8.2.2): the manager decides the child must be removed; the GTA is told and the juvenile
    # inspection asked to assist (N14, N15). The removal itself is the inspector's placement record.

    def decide_removal(self, actor: Actor, reasons: str) -> None:
        self.require_state("decide_removal", OPEN_STATES)
        if self.placement == PlacementType.REMOVED_TEMPORARY_PROTECTION:  # type: ignore[attr-defined]
            raise GuardViolation("already-removed", "the child is already removed for protection")
        if self.removal_decision is not None and self.removal_decision["carried_out"] is False:
            raise GuardViolation("removal-decided", "a removal is already decided and not yet carried out")
        self._removal_decided(actor=actor, reasons=_required(reasons, "reasons", "reasons-required",
                                                              "say why removal is necessary"))

    @event("RemovalDecided")
    def _removal_decided(self, actor: Actor, reasons: str) -> None:
        self.removal_decision = {"at": self.modified_on, "reasons": reasons, "carried_out": False}

    def _removal_carried_out(self) -> None:
        if self.removal_decision is not None:
            self.removal_decision["carried_out"] = True

    # Placement recommended (8.3.24-8.3.26, 8.4): the CAM/CSC recommends, the GTA or CIM decides (N17); a
    # child in the residential unit is recommended family-based care as soon as possible (N19).

    def recommend_placement(self, actor: Actor, placement: PlacementType, reasons: str, tell_cim: bool) -> None:
        self.require_state("recommend_placement", OPEN_STATES)
        if placement in NOT_RECOMMENDED:
            raise GuardViolation("placement-recommended", "%(placement)s is not a care the GTA or CIM decides",
                                 values={"placement": placement},
                                 field="placement")
        if placement == self.placement:  # type: ignore[attr-defined]
            raise GuardViolation("placement-unchanged", "the child is already placed: %(placement)s",
                                 values={"placement": placement}, field="placement")
        self._placement_recommended(
            actor=actor, placement=str(placement), from_placement=str(self.placement or ""),  # type: ignore[attr-defined]
            reasons=_required(reasons, "reasons", "reasons-required", "give the assessment's reasons"), cim=tell_cim,
        )

    @event("PlacementRecommended")
    def _placement_recommended(self, actor: Actor, placement: str, from_placement: str, reasons: str, cim: bool) -> None:
        self.placement_recommendation = {"placement": placement, "reasons": reasons, "at": self.modified_on}

    # Meetings (8.4, 8.7, 8.9, 8.11): convened with the bodies invited (N20, N28, N38).

    def schedule_meeting(
        self, actor: Actor, meeting_id: UUID, meeting: MeetingKind, at: datetime, venue: str, invitees: list[str]
    ) -> None:
        self.require_state("schedule_meeting", OPEN_STATES)
        if meeting == MeetingKind.PLACEMENT_REVIEW:
            if self.placement != PlacementType.CAM_CSC_RESIDENTIAL_UNIT:  # type: ignore[attr-defined]
                raise GuardViolation("no-residential-placement",
                                     "a placement review is held for a child in the residential unit", field="meeting")
        elif self.state != MEETING_STATES[meeting]:
            raise GuardViolation("meeting-out-of-turn",
                                 "a %(meeting)s is convened in state %(state)s",
                                 values={"meeting": meeting, "state": MEETING_STATES[meeting]}, field="meeting")
        if meeting_id in self.meetings:
            raise GuardViolation("meeting-scheduled", "this meeting is already scheduled", field="meeting_id")
        if at <= clock.now():
            raise GuardViolation("meeting-in-the-past", "a meeting is convened for a time to come", field="at")
        if meeting != MeetingKind.PLACEMENT_REVIEW and not invitees:
            raise GuardViolation("invitees-required", "name the bodies invited", field="invitees")
        self._meeting_scheduled(actor=actor, meeting_id=meeting_id, meeting=str(meeting), at=at,
                                venue=_required(venue, "venue", "venue-required", "say where the meeting is held"),
                                invitees=sorted(set(invitees)))

    @event("MeetingScheduled")
    def _meeting_scheduled(
        self, actor: Actor, meeting_id: UUID, meeting: str, at: datetime, venue: str, invitees: list[str]
    ) -> None:
        self.meetings[meeting_id] = {"meeting": meeting, "at": at, "venue": venue, "invitees": invitees,
                                     "rejection": None}

    def reject_recommendations(self, actor: Actor, meeting_id: UUID, recommendations: str, reasons: str) -> None:
        """The manager does not follow a review's recommendations and tells the members why (8.9.9, 8.11.16)."""
        self.require_state("reject_recommendations", OPEN_STATES)
        meeting = self.meetings.get(meeting_id)
        if meeting is None or MeetingKind(meeting["meeting"]) not in REVIEWS:
            raise GuardViolation("no-review", "no such review was convened", field="meeting_id")
        if meeting["at"] > clock.now():
            raise GuardViolation("review-not-held", "the review has not taken place yet", field="meeting_id")
        if meeting["rejection"] is not None:
            raise GuardViolation("recommendations-rejected", "the recommendations are already rejected")
        self._recommendations_rejected(
            actor=actor, meeting_id=meeting_id, invitees=meeting["invitees"],
            recommendations=_required(recommendations, "recommendations", "recommendations-required",
                                      "say which recommendations are rejected"),
            reasons=_required(reasons, "reasons", "reasons-required", "a rejection needs its written reasons"),
        )

    @event("RecommendationsRejected")
    def _recommendations_rejected(
        self, actor: Actor, meeting_id: UUID, invitees: list[str], recommendations: str, reasons: str
    ) -> None:
        self.meetings[meeting_id]["rejection"] = {"recommendations": recommendations, "reasons": reasons,
                                                  "at": self.modified_on}

    # Family tracing (8.3.17-8.3.20): only once the manager has weighed the child's best interests and the
    # risk that tracing brings (N23); the police are asked, embassies never through the hub (P-25).

    def approve_family_tracing(self, actor: Actor, best_interests: str, risk_checked: bool) -> None:
        self.require_state("approve_family_tracing", OPEN_STATES)
        if not risk_checked:
            raise GuardViolation("8.3.18-risk", "tracing is approved only once its risk to the child is checked",
                                 field="risk_checked")
        if self.family_tracing is not None:
            raise GuardViolation("tracing-approved", "family tracing is already approved")
        self._family_tracing_approved(actor=actor, best_interests=_required(
            best_interests, "best_interests", "best-interests-required", "record why tracing is in the child's best interests"))

    @event("FamilyTracingApproved")
    def _family_tracing_approved(self, actor: Actor, best_interests: str) -> None:
        self.family_tracing = {"approved_at": self.modified_on, "best_interests": best_interests}
