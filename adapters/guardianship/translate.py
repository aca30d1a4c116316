"""GTA decisions as hub commands (pure: see adapters.commands)."""

from __future__ import annotations

from adapters.commands import RecordPlacement, Translation
from adapters.guardianship.messages import PLACEMENTS, GuardianAppointment, PlacementDecision
from hub.aggregates.vocabulary import PlacementType

NAME = "guardianship"


def translate(message: PlacementDecision | GuardianAppointment) -> Translation:
    reference = f"decision No. {message.decision_no} of {message.decision_date:%d.%m.%Y}, {message.issued_by}"
    if isinstance(message, GuardianAppointment):
        guardian = message.guardian
        placement = PlacementType.EXTENDED_FAMILY if guardian.is_relative else PlacementType.FAMILY_BASED
        reference += f": {message.guardianship} by {guardian.full_name} ({guardian.relationship})"
    else:
        placement = PLACEMENTS[message.form_of_placement]
        reference += f": {message.form_of_placement} with {message.placed_with} from {message.effective_from:%d.%m.%Y}"
    command = RecordPlacement(
        case_id=message.case_id,
        child_id=message.child_id,
        placement=placement,
        decision_reference=reference,
        fields={"placement": "form_of_placement" if isinstance(message, PlacementDecision) else "guardianship"},
    )
    return Translation.of(NAME, message, [command])
