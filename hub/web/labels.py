"""Names the pages show for the codes they are given, as messages for the catalogues.

``N_`` only marks a message for extraction (scripts/i18n), ``NP_`` one with plural forms; the page
translates it where it is shown, in the reader's language.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name for "mark, do not translate yet"
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - N_ for a message with plural forms (ngettext)
    return singular, plural


QUEUES = {
    "new": N_("New referrals"),
    "mine": N_("My cases"),
    "cases": N_("All cases"),
    "due_soon": N_("Due soon"),
    "overdue": N_("Overdue"),
    "awaiting": N_("Awaiting another agency"),
}

ITEMS = {
    "referral": N_("Referral"),
    "case": N_("Case"),
    "notice": N_("Notice"),
    "escalation": N_("Another body's missed deadline"),
    "undelivered": N_("Notice not delivered"),
}
PAGED = ("referral", "case")  # the items with a page of their own

# How a clock stands (hub/deadlines/clock.py), in words and a shape, so that colour is never the only sign.
CLOCK_STATUS = {
    "running": (N_("running"), "○"),
    "due_soon": (N_("due soon"), "◐"),
    "overdue": (N_("overdue"), "●"),
    "met": (N_("met"), "✓"),
    "met_late": (N_("met late"), "✓"),
}
OVERDUE_BY = N_("%(time)s overdue")

INTAKE_ACTIONS = {
    "gta_notified": N_("GTA notified"),
    "police_informed": N_("Police informed"),
    "juvenile_inspection_informed": N_("Juvenile inspection informed"),
    "migration_service_informed": N_("Migration service informed"),
    "referrer_informed": N_("Referrer told the referral was received"),
    "supporter_requested": N_("Independent supporter requested"),
    "previous_referrals_checked": N_("Earlier referrals and files checked"),
}

# An error page says what happened in the reader's words, by the answer's status; the domain's English
# detail stays in the API's problem+json (a rule violation also names its rule).
REFUSED = {
    401: N_("Sign in first."),
    403: N_("You may not see this record."),
    404: N_("You may not see this record."),
    409: N_("This is not possible in the record's present state: reload it to see where it stands."),
    429: N_("Too many attempts: wait a few minutes and try again."),
}
NOT_ACCEPTED = N_("The hub could not accept what was sent.")
BY_RULE = N_("(rule %(rule)s)")
