"""Several commands saved in one transaction: the messages of one Kafka poll (docs/decisions/0028).

While a unit is open on a thread, a command's save stages its aggregates here instead of writing
them, and a later command of the same unit that looks one of them up gets the staged aggregate,
with the earlier commands' events on it, not the stored one: two messages about one child link
both referrals to the same record. The unit is written at the end, all of it or nothing.

Which events of a staged aggregate were already committed (in the unit's sense) is counted, so that
a command raises notices only on its own events, and a command that failed half way is seen to
changed the unit before it failed (the unit is then rebuilt without it, see hub/kafka/ingest.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID


class UnitOfWork:
    def __init__(self, optimistic: bool = False) -> None:
        self.optimistic = optimistic  # records that are nearly always new are not looked up (Aggregates)
        self.staged: dict[UUID, Any] = {}
        self._of_child: dict[UUID, list[Any]] = {}  # the staged aggregates about each child
        self.checked: dict[tuple[UUID, int], bool] = {}  # whether the store changed a record since a version
        self._committed: dict[UUID, int] = {}  # pending events of each staged aggregate its commands committed
        self._stagings = 0
        # Two commands made a record under one id: as two transactions would, the unit fails as a whole
        # when it is saved, with an IntegrityError (its caller then applies the commands one by one).
        self.conflicted = False

    def stage(self, aggregates: Iterable[Any]) -> None:
        self._stagings += 1
        for aggregate in aggregates:
            if aggregate.id not in self.staged:
                self.staged[aggregate.id] = aggregate
                self._of_child.setdefault(_child_of(aggregate), []).append(aggregate)
            elif self.staged[aggregate.id] is not aggregate:
                self.conflicted = True
                continue
            self._committed[aggregate.id] = len(aggregate.pending_events)

    def get(self, aggregate_id: UUID) -> Any | None:
        return self.staged.get(aggregate_id)

    def of_child(self, child_id: UUID) -> list[Any]:
        """The staged aggregates of one child (the child's own record among them), to lay over its dossier."""
        return list(self._of_child.get(child_id, ()))

    def new_events(self, aggregate: Any) -> list[Any]:
        """The events of ``aggregate`` that no command of the unit has committed yet."""
        return list(aggregate.pending_events[self._committed.get(aggregate.id, 0):])

    def mark(self) -> int:
        """Where the unit stands, for :meth:`changed_since`."""
        return self._stagings

    def changed_since(self, mark: int) -> bool:
        """Whether anything was staged since ``mark``, or a staged aggregate holds events no command committed:
        a message that failed after ``mark`` left part of itself in the unit."""
        return self._stagings != mark or any(self.new_events(a) for a in self.staged.values())

    def to_save(self) -> list[Any]:
        return [a for a in self.staged.values() if a.pending_events]


def _child_of(aggregate: Any) -> Any:
    return getattr(aggregate, "child_id", None) or aggregate.id
