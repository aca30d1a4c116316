"""A school's concern report as a hub referral (pure: see adapters.commands)."""

from __future__ import annotations

from adapters.commands import SubmitReferral, Translation
from adapters.content import consent_statement, paragraphs, referral_content
from adapters.schools.messages import ConcernReport
from hub.aggregates.vocabulary import ConcernCategory, Urgency

NAME = "schools"

CATEGORIES = {
    "signs_of_physical_violence": ConcernCategory.PHYSICAL_VIOLENCE,
    "suspected_sexual_abuse": ConcernCategory.SEXUAL_VIOLENCE,
    "psychological_violence": ConcernCategory.PSYCHOLOGICAL_VIOLENCE,
    "neglect": ConcernCategory.NEGLECT,
    "bullying": ConcernCategory.BULLYING,
    # Not "serious mental illness": routing would send that to health alone; a child at risk
    # of suicide is the CAM/CSC's to assess, with health involved.
    "self_harm_or_suicide_risk": ConcernCategory.OTHER,
    "exploitation": ConcernCategory.EXPLOITATION,
    "other": ConcernCategory.OTHER,
}
POSITIONS = {
    "psychologist": "school psychologist",
    "social_pedagogue": "social pedagogue",
    "class_teacher": "class teacher",
    "teacher": "teacher",
    "deputy_director": "deputy director",
    "director": "school director",
    "school_nurse": "school nurse",
}


def translate(report: ConcernReport) -> Translation:
    pupil = report.pupil
    content = referral_content(
        referrer={
            "name": report.author.full_name,
            "professional_title": f"{POSITIONS[report.author.position]}, {report.school_name}",
            "phone": report.author.phone,
        },
        child=pupil.identity(str(report.city), school=f"{report.school_name}, grade {pupil.grade}",
                             disability=report.special_needs),
        parents=[p.as_parent() for p in report.parents],
        concern={
            "category": CATEGORIES[report.concern_type],
            "description": paragraphs(
                f"{report.concern_type.replace('_', ' ').capitalize()}, first seen on {report.observed_on:%d.%m.%Y}.",
                report.what_was_observed,
                ("Suspected", report.suspected_person),
                ("Measures taken by the school", report.measures_taken),
            ),
            "evidence": paragraphs(
                f"School report No. {report.report_no} of {report.reported_on:%d.%m.%Y}.",
                ("The pupil said", report.pupil_disclosure),
                "Visible injuries." if report.visible_injuries else None,
            ),
            "evidence_of_harm": report.visible_injuries or report.immediate_danger,
            "urgency": _urgency(report),
        },
        consent=consent_statement(child=report.pupil_agreed, parent=report.parent_agreed),
    )
    fields = {"child.city": "city", "child.date_of_birth": "pupil.date_of_birth"}
    return Translation.of(NAME, report, [SubmitReferral(content=content, idempotency_key="referral", fields=fields)])


def _urgency(report: ConcernReport) -> Urgency:
    if report.immediate_danger:
        return Urgency.EMERGENCY
    if report.visible_injuries or report.concern_type in ("suspected_sexual_abuse", "self_harm_or_suicide_risk"):
        return Urgency.HIGH
    return Urgency.ROUTINE
