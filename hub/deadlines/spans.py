"""Where each deadline's clock starts and stops in a case, read from the case's event-derived attributes.

A rule here (named by ``clock:`` in hub/policy/deadlines.yaml) turns a case into
spans: when a clock started, when the event that meets it happened, and when
the duty lapsed unmet because what it was about ended (the plan, the placement,
the monitoring). The limit, and so the due date, comes from the table.

Every time read here was recorded by an event (``self.modified_on`` in the
event's body), never by a clock read, so a case rebuilt from its log gives the
same spans. Where an attribute holds only the latest occurrence (an amendment
asked for, a social assessment started), only the latest clock is known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hub.aggregates.case import Case
from hub.aggregates.case_vocabulary import CaseState, IntakeAction, SupporterStep
from hub.aggregates.vocabulary import PlacementType


@dataclass(frozen=True)
class Span:
    started_at: datetime
    met_at: datetime | None = None
    ended_at: datetime | None = None  # the duty lapsed unmet: its subject ended


@dataclass(frozen=True)
class CaseFacts:
    case: Case
    received_at: datetime  # when the CAM/CSC received the referral that opened the case
    # When the hub told a body of that referral by a notice of the manuals (its rule -> when), where a
    # notice does what an intake action records (the GTA told, cam N02/N05).
    notified: dict[str, datetime] = field(default_factory=dict)
    concern: str | None = None  # the category of concern of that referral


@dataclass(frozen=True)
class _Plan:
    started_at: datetime
    reviews: list[datetime]
    ended_at: datetime | None


SpanRule = Callable[[CaseFacts, dict[str, Any]], list[Span]]
SPANS: dict[str, SpanRule] = {}


def _rule(function: SpanRule) -> SpanRule:
    SPANS[function.__name__] = function
    return function


def _since(moment: datetime | None, start: datetime | None) -> datetime | None:
    """``moment`` if it happened at or after ``start``: an older one belongs to an earlier clock."""
    return moment if moment is not None and start is not None and moment >= start else None


def _phase(start: datetime | None, stop: datetime | None) -> list[Span]:
    return [] if start is None else [Span(start, _since(stop, start))]


# -- intake and assessments ------------------------------------------------------------------------


@_rule
def intake(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    """From receipt of the referral until every listed intake action is recorded, or done by the hub's notice
    (``params["done_by"]``: action -> the notices that do it)."""
    return [Span(facts.received_at, intake_met(facts.case.intake_actions, facts.notified, params))]


def intake_met(recorded: dict[Any, datetime], notified: dict[str, datetime], params: dict[str, Any]) -> datetime | None:
    """When the last of the listed intake actions was done: recorded by the centre, or a notice sent by the hub."""
    done = []
    for action in params["actions"]:
        by_notice = [notified[rule] for rule in params.get("done_by", {}).get(action, []) if rule in notified]
        done.append(min([t for t in [recorded.get(IntakeAction(action)), *by_notice] if t is not None], default=None))
    return max(done) if all(done) else None  # type: ignore[type-var]


@_rule
def offence_notice(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    """From receipt of a referral whose concern is an offence against the child (``params["concerns"]``) until
    the police or the juvenile inspection is informed (any of ``params["actions"]``: recording it sends N06)."""
    if facts.concern not in params["concerns"]:
        return []
    informed = [facts.case.intake_actions.get(IntakeAction(action)) for action in params["actions"]]
    return [Span(facts.received_at, min((t for t in informed if t is not None), default=None))]


@_rule
def referral_decision(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    """A referral's own clock, run on the referral until its recipient decides (hub.deadlines.clocks
    ``referral_clocks``): a case never carries it."""
    return []


@_rule
def initial_assessment(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    """48 hours where there is evidence of harm, a removal, or nobody has yet said (D12a); else 72 (D12b)."""
    case = facts.case
    concluded = case.initial_assessment_concluded_at
    removed = case.removed_at
    if removed is not None and concluded is not None and removed > concluded:
        removed = None  # a removal after the assessment does not reopen it
    harm = case.evidence_of_harm or removed is not None or case.social_worker is None
    if harm != params["evidence_of_harm"]:
        return []
    start = max(facts.received_at, removed) if removed is not None else facts.received_at
    return [Span(start, concluded)]


@_rule
def social_assessment(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    return _phase(facts.case.social_assessment_started_at, facts.case.social_assessment_concluded_at)


@_rule
def protection_meeting(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    return _phase(facts.case.meeting_pending_since, facts.case.meeting_held_at)


@_rule
def protection_plan(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    return _phase(facts.case.protection_plan_pending_since, facts.case.protection_plan_finalised_at)


@_rule
def care_plan(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    return _phase(facts.case.care_plan_pending_since, facts.case.care_plan_developed_at)


# -- plans in force: reviews, the 12-month cap, amendments ------------------------------------------


def _plan(case: Case, kind: str) -> _Plan | None:
    """The plan last put in force, if it is of this kind (reviews are reset when a plan starts)."""
    if case.plan_kind != kind or case.plan_started_at is None:
        return None
    return _Plan(case.plan_started_at, list(case.reviews), _since(case.plan_ended_at, case.plan_started_at))


@_rule
def first_plan_review(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    """From the plan's start (or, for a care plan, its date: ``anchor``) to its first review."""
    case = facts.case
    dated = params.get("anchor") == "care_plan_developed"
    if dated and case.state == CaseState.CARE_PLAN_PENDING_APPROVAL and case.care_plan_developed_at is not None:
        return [Span(case.care_plan_developed_at)]  # running while approvals are collected
    plan = _plan(case, params["plan"])
    if plan is None:
        return []
    start = case.care_plan_developed_at if dated and case.care_plan_developed_at is not None else plan.started_at
    return [Span(start, plan.reviews[0] if plan.reviews else None, plan.ended_at)]


@_rule
def next_plan_review(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    """From each review to the next, until a review ends the plan."""
    plan = _plan(facts.case, params["plan"])
    if plan is None:
        return []
    spans = []
    # not strict: without reviews the None that follows the last one pairs with nothing
    for review, following in zip(plan.reviews, [*plan.reviews[1:], None], strict=False):
        if following is None and plan.ended_at == review:
            break  # this review ended the plan: there is no next one
        spans.append(Span(review, following))
    return spans


@_rule
def plan_in_force(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    """From the plan's start until a review ends it (the 12-month cap, D27)."""
    plan = _plan(facts.case, params["plan"])
    return [] if plan is None else [Span(plan.started_at, plan.ended_at)]


@_rule
def plan_amendment(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    """From a review that decided to alter the plan to the amended plan."""
    case = facts.case
    plan = _plan(case, params["plan"])
    requested = _since(case.amendment_requested_at, plan.started_at) if plan else None
    if plan is None or requested is None:
        return []
    ended = plan.ended_at if plan.ended_at is not None and plan.ended_at > requested else None
    return [Span(requested, _since(case.plan_amended_at, requested), ended)]


# -- placements --------------------------------------------------------------------------------------


def _last_stay(case: Case, placement: PlacementType) -> tuple[datetime, datetime | None] | None:
    """When the child's last stay in this kind of placement began and, if it did, ended."""
    history = case.placement_history
    for index in range(len(history) - 1, -1, -1):
        if history[index]["placement"] == placement:
            until = history[index + 1]["since"] if index + 1 < len(history) else None
            return history[index]["since"], until
    return None


@_rule
def placement_review(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    """From the placement, then from each review, to the next review or the next placement decision."""
    stay = _last_stay(facts.case, PlacementType(params["placement"]))
    if stay is None:
        return []
    since, until = stay
    reviews = [r for r in facts.case.placement_reviews if r >= since and (until is None or r < until)]
    starts = [since, *reviews]
    return [Span(start, stop) for start, stop in zip(starts, [*reviews, until], strict=True)]


@_rule
def placement_stay(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    """From the placement until the child leaves it (the 3-month cap, D18)."""
    stay = _last_stay(facts.case, PlacementType(params["placement"]))
    return [] if stay is None else [Span(*stay)]


# -- after care and the independent supporter -------------------------------------------------------


@_rule
def follow_up(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    """From discharge to the follow-up of the given month; a reassessment ends the monitoring."""
    case = facts.case
    if case.discharged_at is None:
        return []
    met = case.follow_ups_at.get(params["month"])
    reassessed = case.social_assessment_started_at
    ended = reassessed if reassessed is not None and reassessed > case.discharged_at else None
    return [Span(case.discharged_at, met, ended)]


@_rule
def supporter(facts: CaseFacts, params: dict[str, Any]) -> list[Span]:
    """From the request for an independent supporter to the first of the listed steps; a refusal ends the rest."""
    case = facts.case
    requested = case.intake_actions.get(IntakeAction.SUPPORTER_REQUESTED)
    if requested is None:
        return []
    steps = [SupporterStep(s) for s in params["steps"]]
    done = [case.supporter_steps[s] for s in steps if s in case.supporter_steps]
    declined = case.supporter_steps.get(SupporterStep.NGO_DECLINED)
    ended = declined if SupporterStep.NGO_DECLINED not in steps else None
    return [Span(requested, min(done) if done else None, ended)]
