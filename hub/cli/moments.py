"""Moments given on the command line: ISO 8601, with a time zone; without one, read in the deployment's
zone - the one its working days are counted in (``HUB_TIMEZONE``, default ``Asia/Almaty``, decision
0010) - and said so on stderr, so that the reader knows which instant was replayed.

A date alone (``2026-12-06``) is that day's midnight. Anything else is a usage error (exit status 2) that
says what to write, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub.deadlines.calendar import DEFAULT_TIMEZONE

ZONE_ENV = "HUB_TIMEZONE"


def moment(text: str) -> datetime:
    """An argparse ``type``."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 moment: write e.g. 2026-03-02T09:00+05:00, or 2026-03-02 for midnight "
            f"in {ZONE_ENV}"
        ) from None
    if parsed.tzinfo is not None:
        return parsed
    zone = os.environ.get(ZONE_ENV) or DEFAULT_TIMEZONE
    try:
        placed = parsed.replace(tzinfo=ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"{text!r} has no time zone and {ZONE_ENV}={zone!r} is not one: add an offset (e.g. "
            f"{parsed.isoformat()}+05:00) or set {ZONE_ENV} to a zone such as Asia/Almaty"
        ) from None
    print(f"hub: read {text!r} as {placed.isoformat()} ({ZONE_ENV}={zone})", file=sys.stderr)
    return placed
