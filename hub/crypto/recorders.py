"""The recorders the hub stores events with: each indexes which child an aggregate belongs to and
chains every event (hub.audit.chaining), atomically with the events.

Selected through ``APPLICATION_RECORDER_TOPIC`` (see :mod:`hub.crypto.application`).
The subject hook runs on the cursor of the transaction that appends the events:
in SQLite after the rows are inserted, in PostgreSQL just before, in the same
pipelined transaction. Either way a refused append leaves no index row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from hub.audit.chaining import PostgresChaining, SQLiteChaining

IndexHook = Callable[[Any, Sequence[StoredEvent]], None]


class SubjectIndexing:
    index_subjects: IndexHook | None = None

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        if self.index_subjects is None:
            raise RuntimeError("the recorder was not given the mapper's subject index")
        result = super()._insert_events(c, stored_events, **kwargs)  # type: ignore[misc]
        self.index_subjects(c, stored_events)
        return result


class SQLiteHubRecorder(SQLiteChaining, SubjectIndexing, SQLiteApplicationRecorder):
    pass


# The library names its cursor ``curs`` here and ``c`` in SQLite; the mixins pass it by position.
class PostgresHubRecorder(PostgresChaining, SubjectIndexing, PostgresApplicationRecorder):  # type: ignore[misc]
    pass


RECORDER_TOPICS = {
    "eventsourcing.sqlite": f"{__name__}:SQLiteHubRecorder",
    "eventsourcing.postgres": f"{__name__}:PostgresHubRecorder",
}
