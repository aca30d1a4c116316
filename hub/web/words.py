"""The words the case work pages use for the API's commands, fields, choices and events, as catalogue messages.

The API names things in codes (``conclude_initial_assessment``, ``significant_harm_concern``); the
page says them in the reader's language. ``N_`` marks; the template translates where it shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from hub.web import vocabulary
from hub.web.labels import N_

# Each command route's summary (hub/api/routes/cases.py, notices.py) as the form's title.
TITLES = {s: s for s in (
    N_("Record an intake action"), N_("Amend the plan after a review"), N_("Review the placement"),
    N_("Report an emergency"), N_("Assign a social worker"), N_("Conclude the initial assessment"),
    N_("Record the support referral outcome"), N_("Conclude the social assessment"),
    N_("Record the child protection meeting"), N_("Finalise the child protection plan"),
    N_("Review the child protection plan"), N_("Develop the care plan"), N_("Review the care plan"),
    N_("Complete the transition from care"), N_("Record a follow-up"), N_("Reassess after a follow-up concern"),
    N_("Close after monitoring"), N_("Record a legal basis for disclosure"), N_("Request a medical examination"),
    N_("Report a medical examination"), N_("Record a placement decision"), N_("Record a charge against a parent"),
    N_("Record the outcome of proceedings"), N_("Approve the care plan"),
    N_("Record an independent supporter step"), N_("Send the supporter's recommendation to the case manager"),
    N_("Convey the child's views to the case manager"), N_("Record that the mature child declined the supporter"),
    N_("Record the confirmed safe arrival"), N_("Decide the child must be removed"),
    N_("Recommend a placement to the GTA"), N_("Schedule a meeting and invite bodies"),
    N_("Reject a review's recommendations"), N_("Approve family tracing"),
    N_("Ask another centre to take the case over"), N_("Accept a case transferred to this centre"),
    N_("Decline a case transferred to this centre"),
    N_("Acknowledge a notice"), N_("Answer a notice"), N_("Reply to a question about a notice"),
    N_("Withdraw a notice sent in error"),
    N_("Apply to the GTA or a court for authority to examine the child"),
    N_("Refer the family for support services (Annex F)"),
    N_("Send the meeting's information pack to the members invited"),
    N_("Send the written reports to the members of a care-plan review"), N_("Ask an NGO for a service inside the plan"),
    N_("Ask for another social worker"), N_("Approve a change of social worker"),
    N_("Decline a change of social worker"), N_("Set the risk level"), N_("Record parental-rights proceedings started"),
    N_("Record a parental-rights hearing date"), N_("Record the court's decision on parental rights"),
    N_("Record that the alleged perpetrator is a minor"), N_("Record a step taken for this child"),
)}

FIELDS = {
    "action": N_("Action"), "note": N_("Note"), "description": N_("What happened"),
    "social_worker": N_("Social worker"), "evidence_of_harm": N_("Evidence of harm or immediate risk"),
    "outcome": N_("Outcome"), "summary": N_("Summary of the assessment"),
    "follow_up": N_("Follow-up services (Annex E)"), "charge_id": N_("Charge"), "person": N_("Person charged"),
    "offence": N_("Offence"), "found_responsible": N_("Found responsible"), "provider": N_("Service provider"),
    "accepted": N_("Accepted by the provider"), "reason": N_("Reason"), "conclusion": N_("Conclusion"),
    "recommendation": N_("Recommendation of the meeting"), "minutes": N_("Minutes"), "plan": N_("Plan"),
    "professional_discussion": N_("Professional discussion (for the professional members only, never for the family)"),
    "parent_agreed": N_("The parent agreed in writing to follow the plan"),
    "foreign_case_manager": N_("Case manager abroad (for a return plan)"), "confirmed_by": N_("Confirmed by"),
    "approvers": N_("Who must approve"), "approver": N_("Approved as"), "receiving_body": N_("Receiving body"),
    "month": N_("Month after discharge (1, 3, 6 or 12)"), "concern": N_("There is a concern"),
    "notes": N_("Notes"), "recipient": N_("Recipient (a kind of body or an agency code)"),
    "basis": N_("Provision of law"), "reference": N_("Request or decision number"),
    "examination_id": N_("Examination"), "health_agency": N_("Health body (agency code)"),
    "findings": N_("Findings"), "step": N_("Step"), "text": N_("Text"),
    "capacity": N_("Capacity in which the supporter speaks"), "views": N_("The child's views, wishes and feelings"),
    "supporter_view": N_("The supporter's own view"), "reasons": N_("Reasons"), "placement": N_("Placement"),
    "decision_reference": N_("Decision number of the GTA or CIM"), "tell_cim": N_("Tell the CIM too"),
    "meeting_id": N_("Meeting"), "meeting": N_("Meeting"), "at": N_("Date and time"),
    "to_worker": N_("New social worker"), "level": N_("Risk level"), "measure": N_("What is asked of the court"),
    "parent": N_("Parent"), "court": N_("Court"), "grounds": N_("Grounds"), "proceedings_id": N_("Proceedings"),
    "venue": N_("Where, or how to dial in"), "invitees": N_("Bodies invited (agency codes)"),
    "recommendations": N_("Recommendations not followed"),
    "best_interests": N_("Why tracing is in the child's best interests"),
    "risk_checked": N_("The risk tracing brings to the child was checked"),
    "to_agency": N_("Receiving centre (agency code)"), "unit": N_("The child's new place (KATO code)"),
    "answer": N_("Answer"), "to_state": N_("New state"),
    # A child harmed by another minor (docs/decisions/0050, 0060)
    "setting": N_("Where it happened"), "until": N_("Monitoring until"),
    "recipient_agency": N_("Receiving body (agency code; left empty, the routing rules choose)"),
    "institution": N_("Institution (agency code)"), "authority": N_("Authority applied to"),
    "refused_by": N_("Who withheld consent, and why"), "services": N_("Services"),
    "pack": N_("Information pack"), "health": N_("Health and development (health members only)"),
    "report_kind": N_("Report"), "report": N_("Report"), "ngo": N_("NGO (agency code)"), "goals": N_("Goals"),
    # A plan's items (Annex H §4, Annex I §4; docs/decisions/0052)
    "plan_items": N_("Items of the plan"), "goal": N_("Objective"), "task": N_("Task: the service or action"),
    "responsible": N_("Who is responsible"), "responsible_person": N_("Person responsible"), "due": N_("Complete by"),
    "frequency": N_("Or how often"),
    # The intake form (Annex C), by the field's own name, or by its path where one name means two things.
    "name": N_("Name"), "professional_title": N_("Professional title"),
    "member_of_public": N_("I refer as a member of the public"), "phone": N_("Phone"), "address": N_("Address"),
    "relationship": N_("Relationship to the child"), "languages": N_("Languages"),
    "interpreter_needed": N_("An interpreter is needed"), "given_name": N_("Given name"),
    "family_name": N_("Family name"), "patronymic": N_("Patronymic"), "aliases": N_("Other names used"),
    "iin": N_("IIN (individual identification number), if the child has one"),
    "date_of_birth": N_("Date of birth"), "stated_age": N_("Age (if the date of birth is unknown)"), "sex": N_("Sex"),
    "nationality": N_("Nationality"), "city": N_("Where the child is now"), "school": N_("School"),
    "school_agency": N_("The school's agency code in the hub"), "disability": N_("Disability"),
    "migration_status": N_("Migration status"), "categories": N_("The child is"), "category": N_("Kind of concern"),
    "evidence": N_("Evidence"), "urgency": N_("Urgency"), "care_situation": N_("Who cares for the child now"),
    "about_agency": N_("Agency code of an institution whose staff the concern is about"),
    "given": N_("The child or family agreed to the referral"), "by": N_("Agreed by"),
    "existing_services": N_("Services, organisations and professionals already involved"),
    "child.description": N_("Description of the child (if the name is unknown)"),
    "concern.description": N_("What happened, as you know it"),
    "concern.evidence_of_harm": N_("There is evidence of harm or immediate risk"),
    "consent.note": N_("What was said about consent"),
}

# What a field is for, beside its name, where its name alone would leave a reader guessing.
HINTS = {
    # an S7 step's last day (docs/decisions/0050): the service refuses it for any step but monitoring
    "until": N_("For a monitoring step only: the last day the psychologist checks on the child. Leave it empty "
                "for any other step."),
}

# A referral's parts, in Annex C's order, each with what the manual asks it to say: the portal's intake form
# (docs/decisions/0049), and an alleged perpetrator's own referral within the form that records him (0060).
PARTS = {
    "referrer": N_("A. Who refers"),
    "child": N_("B. The child"),
    "parents.0": N_("C. A parent, legal representative or carer (if known)"),
    "concern": N_("D. The concern"),
    "consent": N_("E. Consent"),
    "": N_("F. Services the child already receives"),
}


def part_name(group: str) -> str | None:
    """The message naming a part of a form's body (a referral's "child", or the "perpetrator.child" of a body
    holding one); None for a part with no name of its own."""
    return next((name for key, name in PARTS.items() if key and (group == key or group.endswith(f".{key}"))), None)


# The forms' own choices: the codes the vocabulary names (states, kinds, roles, concerns, urgencies;
# hub/web/vocabulary.py) are named there, once (option_name).
OPTIONS = {o: o for o in (
    N_("no_further_action"), N_("support_services"), N_("significant_harm_concern"),
    N_("child_protection_meeting"), N_("reunification_meeting"), N_("removal_to_alternative_care"),
    N_("alternative_care_no_reunification"), N_("child_protection_plan"), N_("return_plan"), N_("care_plan"),
    N_("continue"), N_("amend"), N_("reassess"), N_("no_longer_necessary"), N_("return_abroad"),
    N_("transferred_at_18"), N_("care_provider"),
    N_("foreign_authority"), N_("ngo_accepted"), N_("ngo_declined"), N_("supporter_contacted"),
    N_("first_meeting_held"), N_("placement_review"), N_("protection_plan_review"), N_("care_plan_review"),
    N_("at_home_with_parent_or_legal_rep"), N_("homeless_street"), N_("removed_temporary_protection"),
    N_("temporary_care_cam_csc_residential_unit"), N_("temporary_care_family_based"),
    N_("temporary_care_other_residential"), N_("alternative_care_extended_family"),
    N_("alternative_care_family_based"), N_("alternative_care_residential"), N_("adopted"),
    N_("returned_to_parents_abroad"), N_("advocating_child_views"), N_("conveying_views_with_dissent"),
    N_("accept"), N_("refuse"), N_("action_taken"), N_("information_requested"),
    N_("asylum_seeker"),
    N_("refugee"), N_("stateless"), N_("trafficking_victim"), N_("irregular_migrant"), N_("internal_migrant"),
    N_("left_behind"), N_("kandas"), N_("child"), N_("parent"), N_("legal_representative"), N_("carer"), N_("female"),
    N_("male"), N_("unknown"),
    # What a referrer is told of the assessment (hub/records/referral.py, cam-csc-manual P-10).
    N_("progress"), N_("members"),
    # a case's risk level and parental-rights proceedings (docs/decisions/0042)
    N_("low"), N_("medium"), N_("restrict"), N_("deprive"), N_("restore"), N_("granted"), N_("refused"),
    N_("under_assessment"), N_("not_at_risk_of_significant_harm"), N_("still_being_considered"),
    # a note's or a file's category (docs/decisions/0047)
    N_("general"), N_("medical"),
    # where a child was harmed by another minor, and the S7 steps taken for each child (docs/decisions/0050)
    N_("residential_care"), N_("community"), N_("home"), N_("online"), N_("psychological_help"),
    N_("parents_met"), N_("inspector_called"), N_("violence_documented"), N_("monitoring"),
)}

# What the case record holds beyond its state and social worker, in the order the page lists it.
RECORD = {
    "placement": N_("Placement"), "placement_since": N_("Placed since"), "plan_version": N_("Plan version"),
    "plan_started_at": N_("Plan in force since"), "care_approvals_required": N_("Approvals required"),
    "care_approvals": N_("Approvals given"), "reviews": N_("Reviews held"), "follow_ups": N_("Follow-ups"),
    "closure": N_("Closure"), "opened_at": N_("Opened"), "emergency_reported_at": N_("Emergency reported"),
    "charge_pending": N_("A charge is pending"),
}

_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_HIDDEN = frozenset({"to_state", "meeting_id", "charge_id", "examination_id"})


def details(values: dict[str, Any]) -> list[tuple[str, Any]]:
    """The parts of an event a reader is told: its content, not its ids."""
    return [(k, v) for k, v in values.items() if k in FIELDS and k not in _HIDDEN and v not in (None, "", [])]


def field_name(path: str) -> str:
    """The message naming a form's field by its path ("perpetrator.child.description"): the longest end of the path
    FIELDS names, so that a part keeps its words inside another body (a referral within the perpetrator's form)."""
    return _by_path(FIELDS, path) or path.rsplit(".", 1)[-1]


def hint(path: str) -> str | None:
    """The message saying what a form's field is for, found by its path as its name is; None for most fields."""
    return _by_path(HINTS, path)


def _by_path(table: dict[str, str], path: str) -> str | None:
    parts = path.split(".")
    ends = (".".join(parts[i:]) for i in range(len(parts)))
    return next((table[end] for end in ends if end in table), None)


def option_name(code: str) -> str:
    """The message naming a choice: the hub's vocabulary first (states, kinds of body, roles, concerns:
    hub/web/vocabulary.py), then the forms' own choices."""
    for table in vocabulary.TABLES.values():
        if code in table:
            return table[code]
    return OPTIONS.get(code, code)


def shown(value: Any, gettext: Callable[[str], str], local: Callable[[Any], str]) -> str:
    """A value of a record or an event, in words: choices translated, moments local, lists joined."""
    if isinstance(value, bool):
        return gettext(N_("yes") if value else N_("no"))
    if isinstance(value, list):
        return ", ".join(shown(v, gettext, local) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{gettext(FIELDS.get(k) or str(k))}: {shown(v, gettext, local)}" for k, v in value.items()
                         if v not in (None, ""))
    text = str(value)
    if text in OPTIONS or any(text in table for table in vocabulary.TABLES.values()):
        return gettext(option_name(text))
    if _MOMENT.match(text):
        return local(text)
    return text



def listed(value: Any) -> list[Any]:
    """A list of a record, or nothing where the record holds none (an erased child's marker)."""
    return value if isinstance(value, list) else []


def child_name(child: dict[str, Any]) -> str | None:
    """The child's name as the caller's view holds it; None where it holds none (withheld, erased)."""
    identity = child.get("identity")
    if not isinstance(identity, dict):
        return None
    return " ".join(p for p in (identity.get("given_name"), identity.get("family_name")) if isinstance(p, str)) or None
