"""Optimistic concurrency: what a command that lost a race does.

A record of something that happened (an intake action, a step reported, an
approval, a charge) is run again on fresh state: re-running (not re-saving)
matters, because its checks then see what the winner did.

A decision on a course (an assessment's outcome, a review, an amended plan) was
taken on the state its maker saw. Run again on the state the winner left, it
could be applied to a state nobody decided on - two managers reviewing one plan
at the same moment, one to continue it and one to close it, would both be
recorded. So a decision that lost a race is refused with a Conflict (409),
nothing of it saved, and its maker looks again and decides.
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
            raise Conflict("%(command)s kept conflicting with concurrent changes; try again",
                           values={"command": command.__name__}) from error

    return run


def refuse_on_conflict(decision: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(decision)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return decision(*args, **kwargs)
        except IntegrityError as error:
            raise Conflict(
                "another change to this record was saved while this decision was being taken, so nothing was "
                "recorded: look at the record again, then decide"
            ) from error

    return run
