"""Health messages as hub commands (pure: see adapters.commands)."""

from __future__ import annotations

from adapters.commands import ReportMedicalExamination, SubmitReferral, Translation
from adapters.content import consent_statement, paragraphs, referral_content
from adapters.health.messages import ExaminationReport, ViolenceNotice, is_maltreatment
from adapters.native import KZ
from hub.aggregates.vocabulary import ConcernCategory, Urgency

NAME = "health"

# The fourth character of T74/T76 names the form of maltreatment (ICD-10).
_FORMS = {
    "0": ConcernCategory.NEGLECT,
    "1": ConcernCategory.PHYSICAL_VIOLENCE,
    "2": ConcernCategory.SEXUAL_VIOLENCE,
    "3": ConcernCategory.PSYCHOLOGICAL_VIOLENCE,
}
# Who the head of the medical organisation must notify in writing within one day (SOP; violence evaluation O7).
SOP_RECIPIENTS = (
    "internal affairs (102)",
    "the guardianship and tutelage authority",
    "the Commission on Minors' Affairs",
    "the social protection department",
)


def translate(message: ViolenceNotice | ExaminationReport) -> Translation:
    if isinstance(message, ExaminationReport):
        return Translation.of(NAME, message, [_findings(message)])
    return Translation.of(NAME, message, [_referral(message)])


def category(codes: list[str]) -> ConcernCategory:
    code = next(c for c in codes if is_maltreatment(c))
    if code[:3] in ("T74", "T76"):
        return _FORMS.get(code[4:5], ConcernCategory.OTHER)
    return ConcernCategory.SEXUAL_VIOLENCE if code[:3] == "Y05" else ConcernCategory.PHYSICAL_VIOLENCE


def fan_out(notice: ViolenceNotice) -> str:
    """The SOP's written notices, for the referral's reader: the hub does not send them (yet)."""
    school = f"the head of {notice.patient.school}" if notice.patient.school else None
    recipients = ", ".join(filter(None, (*SOP_RECIPIENTS, school)))
    called = (
        f"; internal affairs were called at {notice.police_called_at.astimezone(KZ):%d.%m.%Y %H:%M}"
        if notice.police_called_at
        else "; internal affairs have not yet been called"
    )
    return f"SOP notice No. {notice.notice_no} is due by {notice.notice_due:%d.%m.%Y} to {recipients}{called}."


def _referral(notice: ViolenceNotice) -> SubmitReferral:
    patient = notice.patient
    identified = notice.identified_at.astimezone(KZ)
    evaluated = notice.evaluated_at.astimezone(KZ)
    content = referral_content(
        referrer={
            "name": notice.head_of_organisation,
            "professional_title": f"head of {notice.organisation}",
            "phone": notice.doctor.phone,
        },
        child=patient.identity(str(notice.city), school=patient.school),
        parents=[r.as_parent() for r in notice.legal_representatives],
        concern={
            "category": category(notice.icd10),
            "description": paragraphs(
                f"Suspected violence identified at {notice.organisation} on {identified:%d.%m.%Y %H:%M}.",
                ("Suspected", notice.suspected_person),
                ("The child said", notice.patient_account),
                fan_out(notice),
            ),
            "evidence": paragraphs(
                f"Medical evaluation at {evaluated:%d.%m.%Y %H:%M} by {notice.doctor.full_name}, {notice.doctor.specialty}"
                + (" (later than the SOP's one hour)." if notice.evaluation_late else "."),
                ("ICD-10", ", ".join(notice.icd10)),
                notice.findings,
            ),
            "evidence_of_harm": True,
            "urgency": Urgency.EMERGENCY if notice.danger_to_life else Urgency.HIGH,
            "care_situation": paragraphs(
                "In hospital." if notice.hospitalised else "Not admitted to hospital.",
                ("Brought by", notice.brought_by),
                ("Social worker responsible under the SOP", notice.social_worker),
            ),
        },
        consent=consent_statement(child=notice.child_agreed, parent=notice.representative_agreed,
                                  note="a report under the health SOP is made whether or not consent is given"),
    )
    fields = {"child.city": "city", "child.date_of_birth": "patient.date_of_birth"}
    return SubmitReferral(content=content, idempotency_key="referral", fields=fields)


def _findings(report: ExaminationReport) -> ReportMedicalExamination:
    findings = paragraphs(
        f"Report No. {report.report_no}: examined {report.examined_at.astimezone(KZ):%d.%m.%Y %H:%M} by "
        f"{report.doctor.full_name}, {report.doctor.specialty}.",
        report.findings,
        ("ICD-10", ", ".join(report.icd10)),
        ("Conclusion", report.conclusion),
    )
    return ReportMedicalExamination(
        case_id=report.case_id, child_id=report.child_id, examination_id=report.examination_id, findings=findings
    )
