"""What an inbound value is judged against: when it was received, or that it is being read back from the store.

Validators that need either read the pydantic validation context:

- ``{"now": moment}``: judge as of that moment (``adapters.registry.Adapter.parse``
  passes when the message was received); without it, the hub clock's now;
- ``STORED``: the value is one the hub accepted earlier, read back from an event
  (e.g. a referral's content when the referral is replayed). The checks on
  inbound values do not run on it: what was accepted stays readable, and a date of
  birth accepted for a child of 17 must not fail to load on the child's 18th birthday.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from pydantic import ValidationInfo

from hub import clock

KZ = timezone(timedelta(hours=5))  # Kazakhstan keeps one time zone, UTC+5, since 1 March 2024
STORED: dict[str, Any] = {"stored": True}


def _context(info: ValidationInfo) -> dict[str, Any]:
    return info.context if isinstance(info.context, dict) else {}


def is_stored(info: ValidationInfo) -> bool:
    # asked by every kind of text a message holds (hub/text.py), thirty-seven times a police protocol: in one call
    context = info.context
    return isinstance(context, dict) and bool(context.get("stored"))


def received_at(info: ValidationInfo) -> datetime:
    return _context(info).get("now") or clock.now()


def local_date(moment: datetime) -> date:
    return moment.astimezone(KZ).date()


def local_today(info: ValidationInfo) -> date:
    return local_date(received_at(info))
