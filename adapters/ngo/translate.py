"""An NGO's referral form as a hub referral, and its supporter's reports as the supporter's steps on the case
(pure: see adapters.commands)."""

from __future__ import annotations

from adapters.commands import (
    Command,
    IssueSupporterRecommendation,
    RecordChildDeclinedSupporter,
    RecordSupporterStep,
    SubmitChildViews,
    SubmitReferral,
    Translation,
)
from adapters.content import consent_statement, paragraphs, referral_content
from adapters.ngo.messages import (
    ChildDeclinedSupporter,
    ChildViews,
    ReferralForm,
    SectionC,
    Sibling,
    SupporterRecommendation,
    SupporterStepReport,
)
from hub.aggregates.case_vocabulary import SupporterStep

NAME = "ngo"


SupporterReport = SupporterStepReport | SupporterRecommendation | ChildViews | ChildDeclinedSupporter
_IDS = {"case_id": "case_id", "child_id": "child_id"}


def translate(message: ReferralForm | SupporterReport) -> Translation:
    if isinstance(message, ReferralForm):
        return _referral(message)
    return Translation.of(NAME, message, [_supporter(message)])


def _supporter(report: SupporterReport) -> Command:
    ids = {"case_id": report.case_id, "child_id": report.child_id}
    if isinstance(report, SupporterStepReport):
        return RecordSupporterStep(**ids, step=SupporterStep(report.step), note=report.note,
                                   fields={**_IDS, "step": "step", "note": "note"})
    if isinstance(report, SupporterRecommendation):
        return IssueSupporterRecommendation(**ids, text=report.text, fields={**_IDS, "text": "text"})
    if isinstance(report, ChildViews):
        return SubmitChildViews(**ids, capacity=report.capacity, views=report.views, supporter_view=report.supporter_view,
                                reasons=report.reasons,
                                fields={**_IDS, "views": "views", "supporter_view": "supporter_view", "reasons": "reasons"})
    return RecordChildDeclinedSupporter(**ids, note=report.note, fields={**_IDS, "note": "note"})


def _referral(form: ReferralForm) -> Translation:
    a, b = form.section_a, form.section_b
    content = referral_content(
        referrer={
            "name": a.a1_name,
            "professional_title": ", ".join(filter(None, (a.a3_professional_title, a.a2_referring_body))),
            "phone": a.a5_telephone,
            "address": a.a4_address,
        },
        child={
            "given_name": b.b1_name.given_name,
            "family_name": b.b1_name.surname,
            "patronymic": b.b1_name.patronymic,
            "date_of_birth": b.b3_date_of_birth,
            "stated_age": b.b3_age,
            "sex": b.b1_sex,
            "languages": list(b.b4_languages),
            "address": b.b2_address,
            "city": b.b2_city,
            "school": b.b10_school,
            "disability": b.b11_disability,
            "interpreter_needed": b.b12_interpreter is not None,
            "migration_status": form.section_d.d1_migration_status,
            "categories": list(form.section_d.categories),
        },
        parents=[_parent(c) for c in form.section_c],
        concern={
            "category": form.concern_category,
            "description": b.b5_concern,
            "evidence": b.b6_evidence,
            "evidence_of_harm": form.evidence_of_harm,
            "urgency": form.urgency,
            "care_situation": paragraphs(
                b.b7_care_situation,
                ("Siblings", "; ".join(_sibling(s) for s in b.b8_siblings)),
                ("Other children on the premises", b.b9_other_children),
                ("Interpreter", b.b12_interpreter),
            ),
        },
        consent=consent_statement(form.consent.child_agreed, form.consent.parent_agreed, form.consent.note),
        existing_services=form.e3_existing_services,
        self_referral={"through": "ngo", "keep_from_parents": form.self_referral.keep_from_parents}
        if form.self_referral else None,
    )
    fields = {
        "child.city": "section_b.b2_city",
        "child.date_of_birth": "section_b.b3_date_of_birth",
        "recipient_agency": "refer_to",
    }
    command = SubmitReferral(content=content, idempotency_key="referral", recipient_agency=form.refer_to, fields=fields)
    return Translation.of(NAME, form, [command])


def _parent(c: SectionC) -> dict[str, object]:
    relationship = f"{c.relationship} ({c.c3_marital_status})" if c.c3_marital_status else c.relationship
    return {
        "name": c.c1_name,
        "relationship": relationship[:100],
        "address": c.c2_address,
        "phone": c.phone,
        "languages": list(c.c4_languages),
        "interpreter_needed": c.c5_interpreter is not None,
    }


def _sibling(s: Sibling) -> str:
    born = f", born {s.date_of_birth:%d.%m.%Y}" if s.date_of_birth else ""
    lives = f", {s.address}" if s.address else ""
    return f"{s.name}{born}{lives}"
