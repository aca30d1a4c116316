"""The channels a notice reaches its recipient through (docs/decisions/0036)."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    INBOX = "inbox"  # the recipient's view and inbox: every registered body has one
    TOPIC = "topic"  # hub.out.<agency>, recorded by the relay once the broker has acknowledged
    EMAIL = "email"  # the agency's contact address, where it registered one
