"""Police messages as hub commands (pure: see adapters.commands)."""

from __future__ import annotations

from adapters.commands import RecordPlacement, SubmitReferral, Translation
from adapters.content import consent_statement, paragraphs, referral_content
from adapters.native import KZ
from adapters.police.messages import PlacementProtocol, RemovalAct
from hub.aggregates.vocabulary import CabmCategory, ConcernCategory, PlacementType, Urgency

NAME = "police"


def translate(message: PlacementProtocol | RemovalAct) -> Translation:
    if isinstance(message, RemovalAct):
        return Translation.of(NAME, message, [_removal(message)])
    return Translation.of(NAME, message, [_referral(message)])


def _referral(p: PlacementProtocol) -> SubmitReferral:
    separated = p.accompanying_adult is not None
    category = CabmCategory.SEPARATED if separated else CabmCategory.UNACCOMPANIED
    adult = p.accompanying_adult
    content = referral_content(
        referrer={"name": p.officer.full_name, "professional_title": p.officer.title, "phone": p.officer.phone},
        child=p.child.identity(
            str(p.city),
            description=p.child.description,
            migration_status=p.child.migration_note,
            categories=[category],
        ),
        parents=[parent.as_parent() for parent in p.parents],
        concern={
            "category": ConcernCategory.SEPARATED if separated else ConcernCategory.UNACCOMPANIED,
            "description": paragraphs(
                f"Found {p.found_at.astimezone(KZ):%d.%m.%Y %H:%M} at {p.found_place}.",
                p.circumstances,
                ("The child's account", p.child.statement),
            ),
            "evidence": paragraphs(
                f"Police protocol No. {p.protocol_no}" + (f", KUI No. {p.kui_no}" if p.kui_no else ""),
                ("Injuries", p.injuries_description),
                ("Documents", p.child.documents or "none"),
            ),
            "evidence_of_harm": p.injuries_observed,
            "urgency": Urgency.HIGH,
            "care_situation": paragraphs(
                f"Taken by the police to {p.delivered_to} at {p.delivered_at.astimezone(KZ):%d.%m.%Y %H:%M}.",
                ("Found with", f"{adult.full_name} ({adult.relationship}); {adult.whereabouts or 'whereabouts unknown'}")
                if adult
                else None,
            ),
        },
        consent=consent_statement(child=p.child_agreed, parent=False, note="as recorded in the police protocol"),
    )
    return SubmitReferral(content=content, idempotency_key="referral", fields={"child.city": "city"})


def _removal(act: RemovalAct) -> RecordPlacement:
    return RecordPlacement(
        case_id=act.case_id,
        child_id=act.child_id,
        placement=PlacementType.REMOVED_TEMPORARY_PROTECTION,
        decision_reference=f"removal act No. {act.act_no} of {act.removed_at.astimezone(KZ):%d.%m.%Y}, {act.officer.unit}",
    )
