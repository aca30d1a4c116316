"""Failures that pass: the database or the broker is away for a moment. They are retried, never dead-lettered."""

from __future__ import annotations

from kafka.errors import BrokerNotAvailableError, RetriableError

from hub.errors import Conflict
from hub.store import UNAVAILABLE

TRANSIENT: tuple[type[Exception], ...] = (
    *UNAVAILABLE,
    Conflict,  # a command that kept losing races: try again later
    ConnectionError,
    TimeoutError,
    RetriableError,  # kafka-python's: timeouts, lost connections, leader elections...
    BrokerNotAvailableError,
)


def is_transient(error: BaseException, kinds: tuple[type[BaseException], ...] = TRANSIENT) -> bool:
    """Whether ``error`` is one of ``kinds``, or was caused by one that another layer wrapped: the
    per-child mapper reports a key it could not read, because the database was away, as an event it
    could not deserialise - and such a message must be retried, not dead-lettered."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, kinds):
            return True
        cause = cause.__cause__
    return False
