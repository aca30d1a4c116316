"""Who did something: every event names the agency, role and user behind it."""

from __future__ import annotations

from dataclasses import dataclass

from hub.aggregates.copying import shared


@shared
@dataclass(frozen=True)
class Actor:
    agency: str
    role: str
    user: str

    def __str__(self) -> str:
        return f"{self.user} ({self.role}, {self.agency})"


# Used for events the hub itself emits, e.g. a deadline falling overdue.
HUB_SYSTEM = Actor(agency="hub", role="system", user="hub")
