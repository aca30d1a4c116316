"""Optimistic concurrency: a command that lost a race is run again on fresh state.

Re-running (not re-saving) matters: the command's guards see what the winner
did, so a second manager acting on the same case gets a clear illegal
transition rather than a silent overwrite.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from eventsourcing.persistence import IntegrityError

from hub.errors import Conflict

P = ParamSpec("P")
R = TypeVar("R")
ATTEMPTS = 5


def retry_on_conflict(command: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for _ in range(ATTEMPTS - 1):
            try:
                return command(*args, **kwargs)
            except IntegrityError:
                continue
        try:
            return command(*args, **kwargs)
        except IntegrityError as error:
            raise Conflict(f"{command.__name__} kept conflicting with concurrent changes; try again") from error

    return run
