"""The hub's single source of "now".

Event timestamps and deadline arithmetic both read this clock, so a test (or a
replay tool) can freeze or move time and get the same clocks the production
system would have produced.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(tz=UTC)


class FrozenClock:
    """A clock that only moves when told to."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a frozen clock needs a timezone-aware datetime")
        self._now = at

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now

    def set(self, at: datetime) -> None:
        self._now = at


# A module-level clock rather than a context variable: requests are served on
# worker threads that do not inherit the caller's context.
_current: SystemClock | FrozenClock = SystemClock()


def now() -> datetime:
    return _current.now()


@contextmanager
def using(clock: SystemClock | FrozenClock) -> Iterator[SystemClock | FrozenClock]:
    global _current
    previous, _current = _current, clock
    try:
        yield clock
    finally:
        _current = previous
