"""The Ombudsman's messages as hub referrals (pure: see adapters.commands).

Every referral from a monitoring visit names the facility as ``concern.about_agency``
(when it is registered): the facility never learns of it, and routing passes a
concern about the competent body itself to the GTA.
"""

from __future__ import annotations

from adapters.commands import SubmitReferral, Translation
from adapters.content import consent_statement, paragraphs, referral_content
from adapters.ombudsman.messages import ChildComplaint, MonitoredChild, SafeguardingConcern
from hub.aggregates.vocabulary import Urgency

NAME = "ombudsman"
MONITOR = "monitor, Children's Rights Ombudsman monitoring group"
OFFICER = "officer, Office of the Ombudsperson for Children's Rights"


def translate(message: SafeguardingConcern | ChildComplaint) -> Translation:
    if isinstance(message, ChildComplaint):
        return Translation.of(NAME, message, [_complaint(message)])
    return Translation.of(NAME, message, [_child(message, i, c) for i, c in enumerate(message.children)])


def _child(report: SafeguardingConcern, index: int, child: MonitoredChild) -> SubmitReferral:
    visit, concern = report.visit, report.concern
    others = len(report.children) - 1
    content = referral_content(
        referrer={"name": report.reported_by.full_name, "professional_title": MONITOR, "phone": report.reported_by.phone},
        child=child.identity(str(visit.city), description=child.description),
        concern={
            "category": concern.category,
            "description": paragraphs(
                f"Monitoring visit ({visit.visit_kind}) to {visit.facility_name} on {visit.visited_on:%d.%m.%Y}"
                f" by {', '.join(visit.monitors)}; report No. {report.report_no} of {report.reported_on:%d.%m.%Y}.",
                concern.description,
                ("About this child", child.observations),
                ("Harm or risk from", ", ".join(a.replace("_", " ") for a in concern.about)),
                ("Staff concerned", "; ".join(concern.staff_involved)),
                f"The same report concerns {others} other child{'ren' if others != 1 else ''}." if others else None,
            ),
            "evidence": paragraphs(
                ("Source", concern.source.replace("_", " ")),
                concern.evidence,
                "The monitors saw injuries on this child." if child.injuries_seen else None,
            ),
            "evidence_of_harm": concern.immediate_risk or child.injuries_seen,
            "urgency": Urgency.EMERGENCY if concern.immediate_risk else Urgency.HIGH,
            "care_situation": paragraphs(
                f"Held at {visit.facility_name} ({visit.facility_type.replace('_', ' ')})"
                + (f", {child.group}." if child.group else "."),
                ("Steps taken by the monitors", concern.steps_taken),
            ),
            "about_agency": visit.facility_code,
        },
        consent=consent_statement(child=child.agreed_to_referral, parent=False),
    )
    fields = {
        "concern.about_agency": "visit.facility_code",
        "child.city": "visit.city",
        "child_id": f"children.{index}.hub_child_id",
        "child.date_of_birth": f"children.{index}.date_of_birth",
    }
    return SubmitReferral(content=content, idempotency_key=f"child/{index}", child_id=child.hub_child_id, fields=fields)


def _complaint(c: ChildComplaint) -> SubmitReferral:
    content = referral_content(
        referrer={"name": c.officer.full_name, "professional_title": OFFICER, "phone": c.officer.phone},
        child=c.child.identity(str(c.city), description=c.child.description),
        concern={
            "category": c.category,
            "description": paragraphs(
                f"Complaint No. {c.complaint_no} received on {c.received_on:%d.%m.%Y} ({c.channel.replace('_', ' ')}).",
                c.complaint,
                ("The child wants", c.child_wishes),
                ("Contact the child", c.child.contact),
            ),
            "evidence_of_harm": c.immediate_risk,
            "urgency": Urgency.EMERGENCY if c.immediate_risk else Urgency.HIGH,
            "about_agency": c.about_agency,
        },
        consent=consent_statement(child=c.child_agreed_to_referral, parent=False),
    )
    fields = {"concern.about_agency": "about_agency", "child.city": "city", "child.date_of_birth": "child.date_of_birth"}
    return SubmitReferral(content=content, idempotency_key="referral", fields=fields)
