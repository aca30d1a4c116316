"""Which child an aggregate's events belong to.

A child's own events belong to it; an event with a ``child_id`` attribute (a
referral submitted, a case opened, a consent given) makes its aggregate the
child's. ``hub_subjects`` records that in the transaction that stores the event
(see :mod:`hub.crypto.recorders`), so the index never names a child that a
failed or lost write proposed. Until then, the aggregate's later events in the
same save find their child among the ``expected`` ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from hub.crypto.recent import Recent
from hub.crypto.tables import HubTables

CACHED = 100_000  # aggregates: every read of a record is an aggregate too


class SubjectIndex:
    def __init__(self, tables: HubTables) -> None:
        self._tables = tables
        self._known: Recent[UUID, UUID] = Recent(CACHED)  # from committed rows only
        self._expected: Recent[UUID, UUID] = Recent(CACHED)  # from events being written now

    def expect(self, aggregate_id: UUID, child_id: UUID) -> None:
        self._expected.put(aggregate_id, child_id)

    def expected(self, aggregate_id: UUID) -> UUID | None:
        """The child an aggregate being written now was created for, if this process is writing it."""
        return self._expected.get(aggregate_id)

    def learn(self, aggregate_id: UUID, child_id: UUID) -> None:
        self._known.put(aggregate_id, child_id)
        self._expected.pop(aggregate_id)

    def child_of(self, aggregate_id: UUID) -> UUID | None:
        child_id = self._known.get(aggregate_id)
        if child_id is None:
            child_id = self._tables.select_subject(aggregate_id)
            if child_id is None:
                return self._expected.get(aggregate_id)
            self.learn(aggregate_id, child_id)
        return child_id

    def members(self, child_id: UUID) -> list[UUID]:
        """Every aggregate ever recorded as the child's (its referrals, cases, consents, openings...)."""
        return self._tables.select_members(child_id)

    def record(self, cursor: Any, rows: Sequence[tuple[UUID, UUID]]) -> None:
        if rows:
            self._tables.insert_subjects(cursor, rows)
