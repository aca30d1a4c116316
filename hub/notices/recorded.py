"""The events the hub records: every ``@event`` of every aggregate, named ``Aggregate.Event`` as notices.yaml names them.

Read from the aggregate classes themselves, so that the notices table cannot claim a notice is raised on an
event no command records (hub/notices/status.py).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from eventsourcing.domain import Aggregate

import hub.aggregates
from hub.aggregates.base import HubAggregate


@cache
def recorded_events() -> frozenset[str]:
    for module in pkgutil.iter_modules(hub.aggregates.__path__):
        importlib.import_module(f"{hub.aggregates.__name__}.{module.name}")
    return frozenset(
        f"{aggregate.__name__}.{name}"
        for aggregate in _subclasses(HubAggregate)
        for name in dir(aggregate)
        if _is_recorded_event(getattr(aggregate, name), name)
    )


def _is_recorded_event(attribute: object, name: str) -> bool:
    # The library's own classes (Event, Created) are not steps of the domain.
    return isinstance(attribute, type) and issubclass(attribute, Aggregate.Event) and name not in ("Event", "Created")


def _subclasses(cls: type) -> list[type]:
    direct: list[type] = cls.__subclasses__()
    return [sub for child in direct for sub in (child, *_subclasses(child))]
