"""What every service module needs from the application: load, and save."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from hub.errors import NotFound

A = TypeVar("A")


class Repo:
    """Mixed into the application, which provides ``repository`` and ``save``."""

    repository: Any
    save: Any

    def load(self, kind: type[A], aggregate_id: UUID, what: str) -> A:
        """The aggregate, or NotFound; an id of the wrong kind is not found either."""
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"no {what} {aggregate_id}") from None
        if not isinstance(aggregate, kind):
            raise NotFound(f"no {what} {aggregate_id}")
        return aggregate
