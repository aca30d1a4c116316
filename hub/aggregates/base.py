"""The common base of the hub's aggregates.

Event timestamps come from :mod:`hub.clock`, so deadlines derived from events
are reproducible under a frozen clock and on replay.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from hub import clock
from hub.aggregates.copying import CheapCopy
from hub.errors import IllegalTransition


def _timestamp() -> datetime:
    return clock.now()


class HubAggregate(CheapCopy, Aggregate):
    """An aggregate whose commands are guarded by its lifecycle state."""

    class Event(Aggregate.Event):
        create_timestamp = staticmethod(_timestamp)

        def mutate(self, aggregate):
            # The library sets modified_on only after the event's method body
            # ran; bodies here record "when" from it, so set it first.
            if aggregate is not None:
                aggregate.modified_on = self.timestamp
            return super().mutate(aggregate)

    class Created(Event, Aggregate.Created):
        pass

    # Subclasses set ``kind`` (a name for messages) and keep ``state``. They are annotated for
    # the type checker only: the library turns annotated aggregates into dataclasses.
    if TYPE_CHECKING:
        kind: ClassVar[str]
        state: Any  # each aggregate its own StrEnum

    def require_state(self, command: str, allowed: Iterable[StrEnum]) -> None:
        if self.state not in set(allowed):
            raise IllegalTransition(self.kind, str(self.state), command)


def being_created(aggregate: Any) -> bool:
    """Whether the aggregate's first events are among those waiting to be saved: it is new with this save."""
    pending = aggregate.pending_events
    return bool(pending) and pending[0].originator_version == 1


def event_topic(aggregate: type[Aggregate], name: str) -> str:
    """The topic of an event class that ``@event("Name")`` made: the type checker cannot see those classes."""
    return get_topic(getattr(aggregate, name))
