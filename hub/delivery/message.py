"""The email that tells an agency of a notice: which notice, by when, and where to read it - nothing else.

No personal data leaves the hub by email (docs/decisions/0036): not the child's name, not a field of the
referral, not what anybody typed. The title and rule are those of hub/policy/notices.yaml, the same for
every child; the recipient signs in to read the notice and what it lets it see.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage

from hub.aggregates.notice import Notice
from hub.deadlines.calendar import WorkingCalendar
from hub.delivery.settings import DeliverySettings


def notice_link(settings: DeliverySettings, notice: Notice) -> str:
    return f"{settings.public_url}/v1/notices/{notice.id}"


def _when(calendar: WorkingCalendar, moment: datetime | None) -> str | None:
    return calendar.local(moment).strftime("%Y-%m-%d %H:%M %Z") if moment else None


def notice_email(
    notice: Notice, to: str, agency_name: str, settings: DeliverySettings, calendar: WorkingCalendar
) -> EmailMessage:
    message = EmailMessage()
    urgent = "URGENT: " if notice.urgent else ""
    message["Subject"] = f"{urgent}{notice.title} [{notice.rule}]"
    message["From"] = settings.smtp_from
    message["To"] = to
    # One id per notice: a copy sent again after a crash is recognisably the same message.
    message["Message-ID"] = f"<notice-{notice.id}@referral-hub>"
    message["X-Hub-Notice"] = str(notice.id)
    lines = [
        f"The Referral Hub has a notice for {agency_name}.",
        "",
        f"Notice: {notice.title}",
        f"Rule: {notice.rule} ({notice.source})",
    ]
    if notice.urgent:
        lines.append("Urgent: acknowledge it at once; if you cannot, telephone the sender.")
    for label, due in (("Acknowledge by", notice.ack_due_at), ("Answer by", notice.answer_due_at)):
        if (when := _when(calendar, due)) is not None:
            lines.append(f"{label}: {when}")
    lines += [
        "",
        f"Read and answer it in the hub: {notice_link(settings, notice)}",
        "",
        "This message names no child and carries nothing of the file: sign in to read what the notice lets you see.",
    ]
    message.set_content("\n".join(lines) + "\n")
    return message
