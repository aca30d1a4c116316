"""The conditions a grant or denial may name. Each is a question about one body and one record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub.aggregates.attachment import FILE, NOTE, Category
from hub.aggregates.case_transfer import ACCEPTED
from hub.aggregates.case_vocabulary import CaseState, IntakeAction
from hub.aggregates.notice import Notice, NoticeState
from hub.aggregates.referral import Referral
from hub.aggregates.vocabulary import NON_RETURNABLE, Urgency
from hub.geography.units import geography
from hub.privacy.dossier import AgencyRef, Dossier, RecordRef

_POLICE_INFORMED = {IntakeAction.POLICE_INFORMED, IntakeAction.JUVENILE_INSPECTION_INFORMED}
_FILED = frozenset({NOTE, FILE})  # the records of notes and files (decision 0047)
_CARE_PLAN_STATES = {
    CaseState.CARE_PLAN_DRAFTING,
    CaseState.CARE_PLAN_PENDING_APPROVAL,
    CaseState.CARE_PLAN_ACTIVE,
    CaseState.TRANSITION_FROM_CARE,
}


@dataclass(frozen=True)
class Ctx:
    agency: AgencyRef
    ref: RecordRef
    dossier: Dossier
    now: datetime

    def names_me(self, value: str | None) -> bool:
        return value in (self.agency.code, str(self.agency.kind))


def _referrals(ctx: Ctx) -> list[Referral]:
    """This referral, for a referral record; every referral of the child otherwise."""
    return [ctx.ref.subject] if ctx.ref.record_type == "referral" else ctx.dossier.referrals


def is_referrer(ctx: Ctx, _: Any) -> bool:
    return any(r.referrer_agency == ctx.agency.code for r in _referrals(ctx))


def is_recipient(ctx: Ctx, _: Any) -> bool:
    return any(r.recipient_agency == ctx.agency.code for r in _referrals(ctx))


def manages_child(ctx: Ctx, _: Any) -> bool:
    # A referral received counts until the case it opened is handed to another centre (decision 0039).
    return any(c.managing_agency == ctx.agency.code for c in ctx.dossier.cases) or any(
        r.recipient_agency == ctx.agency.code and not _handed_on(ctx, r) for r in ctx.dossier.referrals
    )


def _handed_on(ctx: Ctx, referral: Referral) -> bool:
    case = ctx.dossier.case_of(referral)
    return case is not None and case.managing_agency != ctx.agency.code


def handed_over(ctx: Ctx, _: Any) -> bool:
    return any(t["from_agency"] == ctx.agency.code and t["state"] == ACCEPTED
               for c in ctx.dossier.cases for t in c.transfers)


def placed_here(ctx: Ctx, _: Any) -> bool:
    """The body is the closed institution an open case of the child places the child in (decision 0040)."""
    return any(c.placement_institution == ctx.agency.code and c.state != CaseState.CLOSED for c in ctx.dossier.cases)


def in_child_city(ctx: Ctx, _: Any) -> bool:
    # The body's unit is the child's or contains it: a region's body works in its districts (decision 0026).
    return ctx.dossier.city is not None and geography().contains(ctx.agency.unit, ctx.dossier.city)


def child_age_at_least(ctx: Ctx, years: Any) -> bool:
    age = ctx.dossier.child.age_on(ctx.now.date())
    return age is not None and age >= int(years)


def emergency(ctx: Ctx, _: Any) -> bool:
    return any(r.content.concern.urgency == Urgency.EMERGENCY for r in ctx.dossier.referrals) or any(
        c.emergency_reported_at is not None for c in ctx.dossier.cases
    )


def keeps_from_parents(ctx: Ctx, _: Any) -> bool:
    # The child's wish yields once the centre acts on the child's safety through the family: an emergency, a
    # removal, an offence reported to the police - the bodies that must act then need to find the child (0043).
    # A wish the child withdrew no longer holds, from the withdrawal on (decision 0050).
    asked = any(r.content.self_referral is not None and r.content.self_referral.keep_from_parents
                and r.family_wish_withdrawn is None for r in ctx.dossier.referrals)
    removal = any(c.removal_decision is not None for c in ctx.dossier.cases) or removed(ctx, None)
    return asked and not (emergency(ctx, None) or removal or offence_reported(ctx, None))


def offence_reported(ctx: Ctx, _: Any) -> bool:
    return any(c.charges or _POLICE_INFORMED & set(c.intake_actions) for c in ctx.dossier.cases)


def removed(ctx: Ctx, _: Any) -> bool:
    return any(c.removed_at is not None for c in ctx.dossier.cases)


def placement_involved(ctx: Ctx, _: Any) -> bool:
    return any(c.placement is not None or c.state in _CARE_PLAN_STATES for c in ctx.dossier.cases)


def consent(ctx: Ctx, purpose: Any) -> bool:
    return any(
        c.purpose == purpose and ctx.names_me(c.recipient) and c.is_valid(ctx.now) for c in ctx.dossier.consents
    )


def legal_basis(ctx: Ctx, _: Any) -> bool:
    return any(ctx.names_me(recipient) for c in ctx.dossier.cases for recipient in c.legal_bases)


def asylum_or_refugee(ctx: Ctx, _: Any) -> bool:
    return bool(ctx.dossier.child.categories & NON_RETURNABLE)


def subject_of_allegation(ctx: Ctx, _: Any) -> bool:
    return any(r.content.concern.about_agency == ctx.agency.code for r in ctx.dossier.referrals) or any(
        a.accuses(ctx.agency.code) for a in ctx.dossier.allegations
    )


def took_report(ctx: Ctx, _: Any) -> bool:
    return any(r.reporter_agency == ctx.agency.code for r in ctx.dossier.survivor_reports)


def minor_involved(ctx: Ctx, _: Any) -> bool:
    # A referral record only if it is this one: the child's other referrals stay as their own grants show them.
    return any(r.another_minor is not None for r in _referrals(ctx))


def pupil_here(ctx: Ctx, _: Any) -> bool:
    return any(r.content.child.school_agency == ctx.agency.code for r in ctx.dossier.referrals)


def reported_expected(ctx: Ctx, _: Any) -> bool:
    return ctx.dossier.child.expected_by == ctx.agency.code


def addressed_to_me(ctx: Ctx, _: Any) -> bool:
    return ctx.ref.record_type == "notice" and ctx.agency.code in ctx.ref.record.get("to", [])


def sent_by_me(ctx: Ctx, _: Any) -> bool:
    return isinstance(ctx.ref.subject, Notice) and ctx.ref.subject.sender_agency == ctx.agency.code


def notified(ctx: Ctx, rules: Any) -> bool:
    """The body holds a notice about the child, of one of these rules, that its sender has not withdrawn."""
    wanted = {rules} if isinstance(rules, str) else set(rules)
    return any(
        n.recipient_agency == ctx.agency.code and n.rule in wanted and n.state != NoticeState.WITHDRAWN
        for n in ctx.dossier.notices
    )


def is_examiner(ctx: Ctx, _: Any) -> bool:
    return ctx.ref.record_type == "medical_examination" and ctx.ref.subject["health_agency"] == ctx.agency.code


def added_by_me(ctx: Ctx, _: Any) -> bool:
    return ctx.ref.record_type in _FILED and ctx.ref.record.get("added_by_agency") == ctx.agency.code


def medical_file(ctx: Ctx, _: Any) -> bool:
    return ctx.ref.record_type in _FILED and ctx.ref.record.get("category") == Category.MEDICAL


def general_file(ctx: Ctx, _: Any) -> bool:
    return ctx.ref.record_type in _FILED and ctx.ref.record.get("category") == Category.GENERAL


def examines_child(ctx: Ctx, _: Any) -> bool:
    return any(
        exam["health_agency"] == ctx.agency.code for case in ctx.dossier.cases for exam in case.medical_examinations.values()
    )


CONDITIONS: dict[str, Callable[[Ctx, Any], bool]] = {
    f.__name__: f
    for f in (
        is_referrer,
        is_recipient,
        manages_child,
        handed_over,
        placed_here,
        in_child_city,
        child_age_at_least,
        emergency,
        keeps_from_parents,
        offence_reported,
        removed,
        placement_involved,
        consent,
        legal_basis,
        asylum_or_refugee,
        subject_of_allegation,
        took_report,
        reported_expected,
        minor_involved,
        pupil_here,
        is_examiner,
        addressed_to_me,
        sent_by_me,
        notified,
        added_by_me,
        medical_file,
        general_file,
        examines_child,
    )
}


# The record types whose particular record a condition looks at. For records of every other type it
# answers alike, whichever record of the dossier it is asked about, so it is judged once per body
# (hub/privacy/facts.py). A condition missing here is judged for every record: slower, never wrong.
READS_THE_RECORD: dict[str, frozenset[str]] = {
    "is_referrer": frozenset({"referral"}),
    "is_recipient": frozenset({"referral"}),
    "minor_involved": frozenset({"referral"}),
    "addressed_to_me": frozenset({"notice"}),
    "sent_by_me": frozenset({"notice"}),
    "is_examiner": frozenset({"medical_examination"}),
    "added_by_me": _FILED,
    "medical_file": _FILED,
    "general_file": _FILED,
    **{
        name: frozenset()
        for name in (
            "manages_child", "in_child_city", "child_age_at_least", "emergency", "offence_reported", "removed",
            "placement_involved", "consent", "legal_basis", "asylum_or_refugee", "subject_of_allegation", "notified",
            "handed_over", "examines_child", "placed_here", "took_report", "reported_expected", "keeps_from_parents",
            "pupil_here",
        )
    },
}


def reads_the_record(condition: str | dict[str, Any], record_type: str) -> bool:
    name = condition if isinstance(condition, str) else next(iter(condition))
    return name not in READS_THE_RECORD or record_type in READS_THE_RECORD[name]


def holds(condition: str | dict[str, Any], ctx: Ctx) -> bool:
    if isinstance(condition, str):
        return CONDITIONS[condition](ctx, None)
    (name, argument), = condition.items()
    return CONDITIONS[name](ctx, argument)
