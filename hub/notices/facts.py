"""What a notice rule's ``when`` may look at: the event's own attributes, and the referral it concerns.

The referral is the event's own for a referral's event, the one that opened the case for a case's,
none for a consent's. Facts named by the rules (hub/policy/notices.yaml):
``referrer`` / ``recipient`` (kinds of body), ``concern``, ``urgency``, ``age_below``-able ``age``,
``supporter_steps`` (what the NGO reported on the case), ``school_named`` / ``attended_school`` (the school
the referral names as the child's), ``about_agency`` (a body whose staff the concern is about), ``employer`` (the
kind of body whose staff an allegation is about), ``lead_accused`` (it names the employer's Safeguarding Lead or
Deputy), and any attribute of the event
(``action``, ``placement``, ``outcome``, ``purpose``, ...). ``referrers``: the referring agencies,
for rules that tell the referrer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hub import clock
from hub.aggregates.allegation import Allegation
from hub.aggregates.case import Case
from hub.aggregates.notice import Notice
from hub.aggregates.referral import Referral
from hub.privacy.dossier import Dossier


def facts_of(event: Any, aggregate: Any, dossier: Dossier, kind_of: Callable[[str], str | None]) -> dict[str, Any]:
    """``kind_of``: the kind of body an agency code is (the directory's)."""
    facts: dict[str, Any] = {name: value for name, value in vars(event).items() if isinstance(value, (str, int, bool))}
    referral = _referral_of(aggregate, dossier)
    if referral is not None:
        facts.update(
            referrer=kind_of(referral.referrer_agency),
            recipient=kind_of(referral.recipient_agency),
            concern=str(referral.content.concern.category),
            urgency=str(referral.content.concern.urgency),
            school_named=referral.content.child.school_agency is not None,
            attended_school=referral.content.child.school_agency,
            about_agency=referral.content.concern.about_agency,
        )
    facts["referrers"] = sorted({r.referrer_agency for r in _concerned(aggregate, dossier)})
    facts["age"] = dossier.child.age_on(clock.now().date())
    if isinstance(aggregate, Allegation):
        facts.update(employer=kind_of(aggregate.employer_agency), lead_accused=aggregate.lead_accused,
                     emergency=aggregate.emergency)
    if isinstance(aggregate, Case):
        facts["supporter_steps"] = [str(step) for step in aggregate.supporter_steps]
    return facts


def _referral_of(aggregate: Any, dossier: Dossier) -> Referral | None:
    if isinstance(aggregate, Referral):
        return aggregate
    if isinstance(aggregate, Case):
        return next((r for r in dossier.referrals if r.id == aggregate.referral_ids[0]), None)
    if isinstance(aggregate, Notice):  # a notice's answer: the referral its notice was about
        subject = next((s for s in [*dossier.referrals, *dossier.cases] if s.id == aggregate.subject_id), None)
        return _referral_of(subject, dossier) if subject is not None else None
    return None


def _concerned(aggregate: Any, dossier: Dossier) -> list[Referral]:
    """The referrals whose referrers a notice about ``aggregate`` would tell."""
    if isinstance(aggregate, Referral):
        return [aggregate]
    if isinstance(aggregate, Case):
        return [r for r in dossier.referrals if r.id in set(aggregate.referral_ids)]
    return []
