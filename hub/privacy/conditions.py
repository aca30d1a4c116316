"""The conditions a grant or denial may name. Each is a question about one body and one record.

Each condition is declared once, by ``@condition``, with what is known of it beside it: the kinds of record
whose particular record it looks at (``reads``: the others are judged once per body, hub/privacy/facts.py)
and, for a condition that holds only for a body the child's file names, every body it can hold for
(``names``: only those are judged, hub/privacy/audience.py). ``CONDITIONS``, ``READS_THE_RECORD`` and
``NAMED_BY`` are made from these declarations. Where a condition and its names go through the file the
same way, they share one walk (``_examiners``, ``_accused``...), so that what the names list is what the
condition reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
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


Check = Callable[[Ctx, Any], bool]
# The codes (or kinds, where the file names a kind of body, as a consent may) of every body a condition can
# hold for, in any record of the dossier (given with all its records). A loose superset is enough: a body
# listed for which the condition does not hold is judged and sees nothing; a body left out would see nothing
# it should.
Names = Callable[[Dossier, list[RecordRef]], Iterable[str | None]]


@dataclass(frozen=True)
class Known:
    """What is known of a condition besides its question."""

    check: Check
    reads: frozenset[str] | None  # the kinds of record whose particular record it looks at; None: not said, any
    names: Names | None  # every body it can hold for; None: it may hold for any body


_KNOWN: dict[str, Known] = {}


def condition(*, reads: Iterable[str] | None = None, names: Names | None = None) -> Callable[[Check], Check]:
    """Declares the function below as the condition of its name, with what is known of it. What is not said is
    taken at its safest: a condition without ``reads`` is judged for every record, one without ``names`` is
    taken to hold for anyone the audience could pick; slower, never wrong. The function itself is returned
    unchanged, so that judging a condition stays one dict lookup and a direct call."""

    def declare(check: Check) -> Check:
        assert check.__name__ not in _KNOWN, f"condition {check.__name__} declared twice"
        _KNOWN[check.__name__] = Known(check, None if reads is None else frozenset(reads), names)
        return check

    return declare


def _referrals(ctx: Ctx) -> list[Referral]:
    """This referral, for a referral record; every referral of the child otherwise."""
    return [ctx.ref.subject] if ctx.ref.record_type == "referral" else ctx.dossier.referrals


def _referrers(referrals: list[Referral]) -> Iterator[str]:
    for r in referrals:
        yield r.referrer_agency


def _recipients(referrals: list[Referral]) -> Iterator[str]:
    for r in referrals:
        yield r.recipient_agency


@condition(reads={"referral"}, names=lambda d, _: _referrers(d.referrals))
def is_referrer(ctx: Ctx, _: Any) -> bool:
    return ctx.agency.code in _referrers(_referrals(ctx))


@condition(reads={"referral"}, names=lambda d, _: _recipients(d.referrals))
def is_recipient(ctx: Ctx, _: Any) -> bool:
    return ctx.agency.code in _recipients(_referrals(ctx))


@condition(reads=(), names=lambda d, _: [*(c.managing_agency for c in d.cases), *_recipients(d.referrals)])
def manages_child(ctx: Ctx, _: Any) -> bool:
    # A referral received counts until the case it opened is handed to another centre (decision 0039).
    return any(c.managing_agency == ctx.agency.code for c in ctx.dossier.cases) or any(
        r.recipient_agency == ctx.agency.code and not _handed_on(ctx, r) for r in ctx.dossier.referrals
    )


def _handed_on(ctx: Ctx, referral: Referral) -> bool:
    case = ctx.dossier.case_of(referral)
    return case is not None and case.managing_agency != ctx.agency.code


def _transfers(dossier: Dossier) -> Iterator[dict[str, Any]]:
    for c in dossier.cases:
        yield from c.transfers


@condition(reads=(), names=lambda d, _: (t["from_agency"] for t in _transfers(d)))
def handed_over(ctx: Ctx, _: Any) -> bool:
    return any(t["from_agency"] == ctx.agency.code and t["state"] == ACCEPTED for t in _transfers(ctx.dossier))


@condition(reads=(), names=lambda d, _: (c.placement_institution for c in d.cases))
def placed_here(ctx: Ctx, _: Any) -> bool:
    """The body is the closed institution an open case of the child places the child in (decision 0040)."""
    return any(c.placement_institution == ctx.agency.code and c.state != CaseState.CLOSED for c in ctx.dossier.cases)


# No names: the audience finds the bodies working where the child is by place (hub/privacy/audience.py, IN_PLACE).
@condition(reads=())
def in_child_city(ctx: Ctx, _: Any) -> bool:
    # The body's unit is the child's or contains it: a region's body works in its districts (decision 0026).
    return ctx.dossier.city is not None and geography().contains(ctx.agency.unit, ctx.dossier.city)


@condition(reads=())
def child_age_at_least(ctx: Ctx, years: Any) -> bool:
    age = ctx.dossier.child.age_on(ctx.now.date())
    return age is not None and age >= int(years)


@condition(reads=())
def emergency(ctx: Ctx, _: Any) -> bool:
    return any(r.content.concern.urgency == Urgency.EMERGENCY for r in ctx.dossier.referrals) or any(
        c.emergency_reported_at is not None for c in ctx.dossier.cases
    )


@condition(reads=())
def keeps_from_parents(ctx: Ctx, _: Any) -> bool:
    # The child's wish yields once the centre acts on the child's safety through the family: an emergency, a
    # removal, an offence reported to the police - the bodies that must act then need to find the child (0043).
    # A wish the child withdrew no longer holds, from the withdrawal on (decision 0050).
    asked = any(r.content.self_referral is not None and r.content.self_referral.keep_from_parents
                and r.family_wish_withdrawn is None for r in ctx.dossier.referrals)
    removal = any(c.removal_decision is not None for c in ctx.dossier.cases) or removed(ctx, None)
    return asked and not (emergency(ctx, None) or removal or offence_reported(ctx, None))


@condition(reads=())
def offence_reported(ctx: Ctx, _: Any) -> bool:
    return any(c.charges or _POLICE_INFORMED & set(c.intake_actions) for c in ctx.dossier.cases)


@condition(reads=())
def removed(ctx: Ctx, _: Any) -> bool:
    return any(c.removed_at is not None for c in ctx.dossier.cases)


@condition(reads=())
def placement_involved(ctx: Ctx, _: Any) -> bool:
    return any(c.placement is not None or c.state in _CARE_PLAN_STATES for c in ctx.dossier.cases)


@condition(reads=(), names=lambda d, _: (c.recipient for c in d.consents))
def consent(ctx: Ctx, purpose: Any) -> bool:
    return any(
        c.purpose == purpose and ctx.names_me(c.recipient) and c.is_valid(ctx.now) for c in ctx.dossier.consents
    )


def _legal_bases(dossier: Dossier) -> Iterator[str]:
    """The bodies (codes or kinds) a case of the child records a legal basis for sharing with."""
    for c in dossier.cases:
        yield from c.legal_bases


@condition(reads=(), names=lambda d, _: _legal_bases(d))
def legal_basis(ctx: Ctx, _: Any) -> bool:
    return any(ctx.names_me(recipient) for recipient in _legal_bases(ctx.dossier))


@condition(reads=())
def asylum_or_refugee(ctx: Ctx, _: Any) -> bool:
    return bool(ctx.dossier.child.categories & NON_RETURNABLE)


def _accused(dossier: Dossier) -> Iterator[str | None]:
    """The bodies a referral is about and those whose staff an allegation accuses (Allegation.accused)."""
    for r in dossier.referrals:
        yield r.content.concern.about_agency
    for a in dossier.allegations:
        yield from a.accused()


@condition(reads=(), names=lambda d, _: _accused(d))
def subject_of_allegation(ctx: Ctx, _: Any) -> bool:
    return ctx.agency.code in _accused(ctx.dossier)


def _reporters(dossier: Dossier) -> Iterator[str]:
    """The bodies that took the person's own reports (decision 0041)."""
    for r in dossier.survivor_reports:
        yield r.reporter_agency


@condition(reads=(), names=lambda d, _: _reporters(d))
def took_report(ctx: Ctx, _: Any) -> bool:
    return ctx.agency.code in _reporters(ctx.dossier)


@condition(reads=(), names=lambda d, _: (d.child.expected_by,))
def reported_expected(ctx: Ctx, _: Any) -> bool:
    return ctx.dossier.child.expected_by == ctx.agency.code


@condition(reads={"referral"})
def minor_involved(ctx: Ctx, _: Any) -> bool:
    # A referral record only if it is this one: the child's other referrals stay as their own grants show them.
    return any(r.another_minor is not None for r in _referrals(ctx))


def _schools(dossier: Dossier) -> Iterator[str | None]:
    for r in dossier.referrals:
        yield r.content.child.school_agency


@condition(reads=(), names=lambda d, _: _schools(d))
def pupil_here(ctx: Ctx, _: Any) -> bool:
    return ctx.agency.code in _schools(ctx.dossier)


def _examiners(dossier: Dossier) -> Iterator[str]:
    """The health bodies of the child's medical examinations, in every case of the child."""
    for case in dossier.cases:
        for exam in case.medical_examinations.values():
            yield exam["health_agency"]


# Its names are every examination's body, as for examines_child: a loose superset of this record's.
@condition(reads={"medical_examination"}, names=lambda d, _: _examiners(d))
def is_examiner(ctx: Ctx, _: Any) -> bool:
    return ctx.ref.record_type == "medical_examination" and ctx.ref.subject["health_agency"] == ctx.agency.code


def _addressees(_: Dossier, refs: list[RecordRef]) -> Iterator[str]:
    """The bodies the notices among the dossier's records are addressed to."""
    for ref in refs:
        if ref.record_type == "notice":
            yield from ref.record.get("to", [])


@condition(reads={"notice"}, names=_addressees)
def addressed_to_me(ctx: Ctx, _: Any) -> bool:
    return ctx.ref.record_type == "notice" and ctx.agency.code in ctx.ref.record.get("to", [])


@condition(reads={"notice"}, names=lambda _, refs: (ref.subject.sender_agency for ref in refs if isinstance(ref.subject, Notice)))
def sent_by_me(ctx: Ctx, _: Any) -> bool:
    return isinstance(ctx.ref.subject, Notice) and ctx.ref.subject.sender_agency == ctx.agency.code


@condition(reads=(), names=lambda d, _: (n.recipient_agency for n in d.notices))
def notified(ctx: Ctx, rules: Any) -> bool:
    """The body holds a notice about the child, of one of these rules, that its sender has not withdrawn."""
    # A loop, not a generator over a new set: judged for each of some twenty rules for each body of each child.
    wanted = (rules,) if isinstance(rules, str) else rules
    code = ctx.agency.code
    for n in ctx.dossier.notices:
        if n.recipient_agency == code and n.rule in wanted and n.state != NoticeState.WITHDRAWN:
            return True
    return False


@condition(reads=_FILED, names=lambda _, refs: (ref.record.get("added_by_agency") for ref in refs))
def added_by_me(ctx: Ctx, _: Any) -> bool:
    return ctx.ref.record_type in _FILED and ctx.ref.record.get("added_by_agency") == ctx.agency.code


@condition(reads=_FILED)
def medical_file(ctx: Ctx, _: Any) -> bool:
    return ctx.ref.record_type in _FILED and ctx.ref.record.get("category") == Category.MEDICAL


@condition(reads=_FILED)
def general_file(ctx: Ctx, _: Any) -> bool:
    return ctx.ref.record_type in _FILED and ctx.ref.record.get("category") == Category.GENERAL


@condition(reads=(), names=lambda d, _: _examiners(d))
def examines_child(ctx: Ctx, _: Any) -> bool:
    return ctx.agency.code in _examiners(ctx.dossier)


# The tables below are made once from the declarations above; judging a condition looks it up in a plain dict
# and calls it (the catch-up does so hundreds of thousands of times).
CONDITIONS: dict[str, Check] = {name: known.check for name, known in _KNOWN.items()}

# The record types whose particular record a condition looks at. For records of every other type it
# answers alike, whichever record of the dossier it is asked about, so it is judged once per body
# (hub/privacy/facts.py). A condition missing here is judged for every record: slower, never wrong.
READS_THE_RECORD: dict[str, frozenset[str]] = {
    name: known.reads for name, known in _KNOWN.items() if known.reads is not None
}

# For each condition about a body's part in the file, every body it can hold for (hub/privacy/audience.py).
# A condition not listed here (and not in_child_city) is taken to hold for anyone: slower, never wrong.
NAMED_BY: dict[str, Names] = {name: known.names for name, known in _KNOWN.items() if known.names is not None}


def reads_the_record(condition: str | dict[str, Any], record_type: str) -> bool:
    name = condition if isinstance(condition, str) else next(iter(condition))
    return name not in READS_THE_RECORD or record_type in READS_THE_RECORD[name]


def holds(condition: str | dict[str, Any], ctx: Ctx) -> bool:
    if isinstance(condition, str):
        return CONDITIONS[condition](ctx, None)
    (name, argument), = condition.items()
    return CONDITIONS[name](ctx, argument)
