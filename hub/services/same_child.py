"""Which child records are one child: a record found to be the same as another joins its component.

Read from the log's ``IdentifiedAs`` events alone, so an erasure or an archival
takes every record of the child with it, however the duplicates were linked.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from hub.aggregates.base import event_topic
from hub.aggregates.child import Child
from hub.crypto.erased import ERASED

_IDENTIFIED_AS = event_topic(Child, "IdentifiedAs")
_BATCH = 1000


class SameChild:
    def __init__(self, recorder: Any, mapper: Any) -> None:
        self._edges: dict[UUID, set[UUID]] = {}
        position = 0
        while notifications := recorder.select_notifications(start=position + 1, limit=_BATCH, topics=[_IDENTIFIED_AS]):
            for notification in notifications:
                event = mapper.to_domain_event(notification)
                if event.same_as is not ERASED:
                    self._edges.setdefault(event.originator_id, set()).add(event.same_as)
                    self._edges.setdefault(event.same_as, set()).add(event.originator_id)
            position = notifications[-1].id

    def records_of(self, child_id: UUID) -> list[UUID]:
        """The child and every record found to be the same child, directly or through another."""
        found, todo = {child_id}, [child_id]
        while todo:
            for other in self._edges.get(todo.pop(), set()) - found:
                found.add(other)
                todo.append(other)
        return sorted(found, key=str)
