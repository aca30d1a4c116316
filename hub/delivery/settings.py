"""How the hub sends email and how hard it tries (docs/decisions/0036; deploy/.env.example, OPERATOR.md).

No ``HUB_SMTP_HOST``: the hub sends no email, and a notice reaches its recipient by its view, inbox and
topic only. The password may come as a file (``HUB_SMTP_PASSWORD_FILE``, hub/secret_files.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from eventsourcing.utils import strtobool

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class DeliverySettings:
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True  # a relay outside the host is spoken to over TLS, or not at all
    smtp_from: str = "referral-hub@localhost"
    smtp_timeout_s: float = 30.0
    public_url: str = DEFAULT_PUBLIC_URL  # where the links in a message lead
    attempts: int = 6  # sends of one email before it is given up and the sender alerted
    backoff_s: float = 60.0  # the wait after the first failure, doubled after each next one
    backoff_max_s: float = 3600.0
    lease_s: float = 300.0  # how long a worker holds a delivery it is sending: longer than a send can take
    interval_s: float = 5.0  # between looks for pending deliveries
    batch: int = 50

    @property
    def email(self) -> bool:
        return bool(self.smtp_host)

    def backoff(self, failures: int) -> float:
        """The wait before the next attempt after ``failures`` failed ones."""
        return min(self.backoff_s * 2 ** max(failures - 1, 0), self.backoff_max_s)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> DeliverySettings:
        env = os.environ if environ is None else environ
        defaults = cls()
        starttls = bool(strtobool(env.get("HUB_SMTP_STARTTLS") or "yes"))

        def number(name: str, default: float, kind: type = float) -> float:
            value = (env.get(name) or "").strip()
            if not value:
                return default
            parsed = kind(value)
            if parsed <= 0:
                raise ValueError(f"{name} must be above 0, not {value!r}")
            return parsed

        return cls(
            smtp_host=(env.get("HUB_SMTP_HOST") or "").strip() or None,
            smtp_port=int(number("HUB_SMTP_PORT", 587 if starttls else 25, int)),
            smtp_user=env.get("HUB_SMTP_USER") or None,
            smtp_password=env.get("HUB_SMTP_PASSWORD") or None,
            smtp_starttls=starttls,
            smtp_from=env.get("HUB_SMTP_FROM") or defaults.smtp_from,
            smtp_timeout_s=number("HUB_SMTP_TIMEOUT_S", defaults.smtp_timeout_s),
            public_url=(env.get("HUB_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/"),
            attempts=int(number("HUB_DELIVERY_ATTEMPTS", defaults.attempts, int)),
            backoff_s=number("HUB_DELIVERY_BACKOFF_S", defaults.backoff_s),
            backoff_max_s=number("HUB_DELIVERY_BACKOFF_MAX_S", defaults.backoff_max_s),
            lease_s=number("HUB_DELIVERY_LEASE_S", defaults.lease_s),
            interval_s=number("HUB_DELIVERY_INTERVAL_S", defaults.interval_s),
        )
