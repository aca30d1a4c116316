"""Names the pages show for the codes they are given, as messages for the catalogues.

``N_`` only marks a message for extraction (scripts/i18n); the page translates it
where it is shown, in the reader's language.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name for "mark, do not translate yet"
    return message


QUEUES = {
    "new": N_("New referrals"),
    "mine": N_("My cases"),
    "cases": N_("All cases"),
    "due_soon": N_("Due within 7 days"),
    "overdue": N_("Overdue"),
    "awaiting": N_("Awaiting another agency"),
}

ITEMS = {"referral": N_("Referral"), "case": N_("Case")}

URGENCY = {"overdue": N_("overdue"), "due_soon": N_("due soon")}

INTAKE_ACTIONS = {
    "gta_notified": N_("GTA notified"),
    "police_informed": N_("Police informed"),
    "juvenile_inspection_informed": N_("Juvenile inspection informed"),
    "migration_service_informed": N_("Migration service informed"),
    "referrer_informed": N_("Referrer told the referral was received"),
    "supporter_requested": N_("Independent supporter requested"),
    "previous_referrals_checked": N_("Earlier referrals and files checked"),
}
