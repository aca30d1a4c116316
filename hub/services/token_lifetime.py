"""How long a token lives: always a limited time, at most ``HUB_TOKEN_MAX_DAYS`` (docs/decisions/0027)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.errors import InvalidInput

MAX_DAYS_ENV = "HUB_TOKEN_MAX_DAYS"
DEFAULT_MAX_DAYS = 365
DEFAULT_DAYS = 90


@dataclass(frozen=True)
class TokenLifetime:
    max_days: int = DEFAULT_MAX_DAYS

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TokenLifetime:
        value = env.get(MAX_DAYS_ENV) or str(DEFAULT_MAX_DAYS)
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"{MAX_DAYS_ENV} must be a whole number of days, 1 or more, not {value!r}")
        return cls(int(value))

    @property
    def default_days(self) -> int:
        return min(DEFAULT_DAYS, self.max_days)

    def expiry(self, issued_at: datetime, days: int | None) -> datetime:
        """When a token issued now for ``days`` (None: the default) expires; a token that would never expire,
        or would outlive the longest lifetime allowed, is refused."""
        days = self.default_days if days is None else days
        if days < 1:
            raise InvalidInput(
                "days", "a token must expire: give 1 to %(max_days)s days (a token that never expires is not issued; revoke "
                "one that is no longer needed with `hub tokens revoke`)",
                values={"max_days": self.max_days},
            )
        if days > self.max_days:
            raise InvalidInput(
                "days", "a token lives at most %(max_days)s days (%(setting)s); issue a new one when it expires",
                values={"max_days": self.max_days, "setting": MAX_DAYS_ENV}
            )
        return issued_at + timedelta(days=days)

    def expires_at(self, issued_at: datetime, expires_at: datetime | None) -> datetime:
        """When a stored token expires: a token issued before every token had to expire lives as long as the
        longest lifetime the hub issues now."""
        return expires_at if expires_at is not None else issued_at + timedelta(days=self.max_days)
