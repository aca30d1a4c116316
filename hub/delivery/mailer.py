"""Sends one email through the deployment's SMTP server (smtplib)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from hub.delivery.settings import DeliverySettings


class SendFailed(Exception):
    """The server could not be reached or refused the message; the text says why, never the message."""


class SmtpMailer:
    def __init__(self, settings: DeliverySettings) -> None:
        self.settings = settings

    def send(self, message: EmailMessage) -> None:
        s = self.settings
        try:
            with smtplib.SMTP(s.smtp_host or "", s.smtp_port, timeout=s.smtp_timeout_s) as smtp:
                if s.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if s.smtp_user:
                    smtp.login(s.smtp_user, s.smtp_password or "")
                refused = smtp.send_message(message)
        except smtplib.SMTPResponseException as error:
            raise SendFailed(f"SMTP {error.smtp_code}") from None
        except smtplib.SMTPRecipientsRefused as error:
            codes = sorted({code for code, _ in error.recipients.values()})
            raise SendFailed(f"recipient refused: SMTP {', '.join(map(str, codes))}") from None
        except (smtplib.SMTPException, OSError) as error:
            raise SendFailed(type(error).__name__) from None
        if refused:
            raise SendFailed("recipient refused")
