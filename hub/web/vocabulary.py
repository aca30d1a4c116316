"""The names the pages give the hub's codes (states, kinds of body, roles, concerns), as catalogue messages.

A code the page shows goes through ``name_of``: a code with no name here is shown as it is, and
tests/test_web_translations.py fails on it, so a new state or kind is named before a reader meets it.
"""

from __future__ import annotations

from hub.web.labels import N_

STATES = {
    # referrals
    "submitted": N_("received, not yet acknowledged"),
    "acknowledged": N_("acknowledged"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "redirected": N_("redirected to another body"),
    "withdrawn": N_("withdrawn"),
    "linked": N_("joined to the child's earlier referral"),
    # cases (cam-csc-manual §3.2 S1-S16)
    "intake": N_("intake"),
    "initial_assessment": N_("initial assessment"),
    "awaiting_support_referral": N_("awaiting the support provider"),
    "awaiting_criminal_outcome": N_("awaiting the criminal proceedings"),
    "social_assessment": N_("social assessment"),
    "cp_meeting_pending": N_("child protection meeting pending"),
    "cp_plan_drafting": N_("child protection plan being drafted"),
    "cp_plan_active": N_("child protection plan in force"),
    "return_in_progress": N_("return in progress"),
    "care_plan_drafting": N_("care plan being drafted"),
    "care_plan_pending_approval": N_("care plan awaiting approval"),
    "care_plan_active": N_("care plan in force"),
    "transition_from_care": N_("transition from care"),
    "post_care_monitoring": N_("monitoring after care"),
    "closed": N_("closed"),
    # notices and the inbox's own items
    "created": N_("not yet acknowledged"),
    "answered": N_("answered"),
    "escalated": N_("deadline missed"),
    "undelivered": N_("not delivered"),
}

CONCERNS = {
    "physical_violence": N_("physical violence"),
    "sexual_violence": N_("sexual violence"),
    "psychological_violence": N_("psychological violence"),
    "neglect": N_("neglect"),
    "exploitation": N_("exploitation"),
    "trafficking": N_("trafficking"),
    "unaccompanied": N_("unaccompanied child"),
    "separated": N_("separated child"),
    "bullying": N_("bullying"),
    "serious_mental_illness": N_("serious mental illness"),
    "difficult_circumstances": N_("difficult life circumstances"),
    "other": N_("other concern"),
}

KINDS = {
    "cam": N_("Centre of Adaptation of Minors"),
    "csc": N_("Centre for the Support of Children"),
    "gta": N_("Guardianship and Tutelage Authority"),
    "juvenile_police": N_("juvenile police inspectorate"),
    "police_investigation": N_("police investigation"),
    "migration_police": N_("migration police"),
    "border_guard": N_("border guard"),
    "school": N_("school"),
    "health": N_("health care"),
    "ngo": N_("non-governmental organisation"),
    "prosecutor": N_("prosecutor's office"),
    "court": N_("court"),
    "social_protection": N_("labour and social protection department"),
    "education_department": N_("education department"),
    "safeguarding_lead": N_("safeguarding lead"),
    "cim": N_("Commission on Minors' Affairs"),
    "unicef": N_("UNICEF"),
    "ombudsman": N_("Ombudsman for Children's Rights"),
    "steering_committee": N_("steering committee"),
    "foreign_cp_authority": N_("foreign child protection authority"),
    "embassy": N_("embassy"),
    "auditor": N_("auditor"),
    "hub": N_("hub operator"),
    # closed institutions (docs/decisions/0040)
    "children_home": N_("children's home"),
    "temporary_detention": N_("temporary detention centre"),
    "special_school": N_("special school"),
    "psychiatric_hospital": N_("psychiatric hospital"),
    "shelter": N_("shelter"),
}

ROLES = {
    "manager": N_("manager"),
    "social_worker": N_("social worker"),
    "on_call_social_worker": N_("on-call social worker"),
    "director": N_("director"),
    "officer": N_("officer"),
    "juvenile_inspector": N_("juvenile inspector"),
    "investigator": N_("investigator"),
    "teacher": N_("teacher"),
    "psychologist": N_("psychologist"),
    "social_pedagogue": N_("social pedagogue"),
    "doctor": N_("doctor"),
    "nurse": N_("nurse"),
    "head": N_("head"),
    "coordinator": N_("coordinator"),
    "lawyer": N_("lawyer"),
    "independent_supporter": N_("independent supporter"),
    "prosecutor": N_("prosecutor"),
    "judge": N_("judge"),
    "monitor": N_("monitor"),
    "focal_point": N_("focal point"),
    "lead": N_("safeguarding lead"),
    "deputy": N_("deputy safeguarding lead"),
    "member": N_("committee member"),
    "case_manager": N_("case manager"),
    "consular_officer": N_("consular officer"),
    "auditor": N_("auditor"),
    "admin": N_("administrator"),
    "staff": N_("staff member"),
    "supervisor": N_("supervisor"),
}

URGENCIES = {"emergency": N_("emergency"), "high": N_("high"), "routine": N_("routine")}

TABLES = {"states": STATES, "concerns": CONCERNS, "kinds": KINDS, "roles": ROLES, "urgencies": URGENCIES}


def name_of(table: str, code: str | None) -> str | None:
    """The message naming ``code`` in one of the tables above; the code itself where it has none."""
    if code is None:
        return None
    return TABLES[table].get(str(code), str(code))
