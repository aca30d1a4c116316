"""Copying an aggregate as the library's cache hands it out, without copying what cannot change.

The repository's cache gives each command a deep copy of the cached aggregate, so that a command
that fails leaves the cached one as it was. ``copy.deepcopy`` copies a UUID by pickling it: a
child named by a hundred referrals holds a hundred ids, and copying them cost more than folding
the event that added the last one (issue #13: the answer's cost must not grow with the child's
history). Ids, dates, strings, numbers and enum members are immutable, so they are shared, and so are
a list of ``Ids`` (an aggregate replaces it, never changes it), a frozen pydantic model (a
referral's content: nothing assigns to it, and copying it cost more than the rest of the referral) and
what a class declares ``shared`` (an event's actor, a referral's content not yet read);
lists, dicts and sets are copied, and anything else is deep-copied as before. The cache is given
such a copy of everything a command saves (hub.crypto.erased_repository), so this runs on every command.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel

T = TypeVar("T")


class Ids(list[UUID]):
    """The ids an aggregate lists, which only grow: each addition makes a new list (:meth:`plus`) and none is
    changed in place, so the copies of an aggregate share it. A list, so that it compares, serializes and
    validates as the plain list it replaces; one read back from a snapshot is a plain list until it grows."""

    @staticmethod
    def plus(ids: list[UUID], added: UUID) -> Ids:
        return Ids([*ids, added])

    def __reduce__(self) -> tuple[type[Ids], tuple[list[UUID]]]:
        return Ids, (list(self),)  # rebuilt whole: a list's pickle would append to it item by item

    def __deepcopy__(self, memo: dict[int, Any]) -> Ids:
        return self


def _refuse(self: Ids, *args: Any, **kwargs: Any) -> None:
    raise TypeError("Ids are shared by the copies of an aggregate: make a new list with Ids.plus")


for _change in ("append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse", "__setitem__",
                "__delitem__", "__iadd__", "__imul__"):
    setattr(Ids, _change, _refuse)

_IMMUTABLE: tuple[type, ...] = (
    str, int, float, bool, bytes, UUID, datetime, date, timedelta, Decimal, Enum, type(None), Ids,
)
_SHARED: set[type] = set()  # classes whose instances never change, besides those above: see ``shared``


def shared(cls: type[T]) -> type[T]:
    """Declares a class whose instances never change after they are made, so that copies share them."""
    _SHARED.add(cls)
    return cls


# The copiers below test a value's class against ``_KEPT`` before calling ``copied``: most values are shared,
# and a call for each was half the cost of copying an aggregate (two copies of each a command saves).
def _copy_list(value: list[Any], memo: dict[int, Any]) -> list[Any]:
    return [item if type(item) in _KEPT else copied(item, memo) for item in value]


def _copy_dict(value: dict[Any, Any], memo: dict[int, Any]) -> dict[Any, Any]:
    return {key: item if type(item) in _KEPT else copied(item, memo) for key, item in value.items()}


def _copy_set(value: set[Any], memo: dict[int, Any]) -> set[Any]:
    return {item if type(item) in _KEPT else copied(item, memo) for item in value}


def _copy_tuple(value: tuple[Any, ...], memo: dict[int, Any]) -> tuple[Any, ...]:
    return tuple(item if type(item) in _KEPT else copied(item, memo) for item in value)


Copier = Callable[[Any, dict[int, Any]], Any]
_CONTAINERS: dict[type, Copier] = {list: _copy_list, dict: _copy_dict, set: _copy_set, tuple: _copy_tuple}
# How each class met so far is copied (None: shared), decided once per class: an aggregate's copy visits
# every value it holds, a few hundred a command, and the isinstance checks against ABCs were most of it.
_HOW: dict[type, Copier | None] = {}
_KEPT: set[type] = set()  # the classes of _HOW that are shared


def _how(cls: type) -> Copier | None:
    if cls in _CONTAINERS:
        return _CONTAINERS[cls]
    if cls in _SHARED or issubclass(cls, _IMMUTABLE) or (issubclass(cls, BaseModel) and cls.model_config.get("frozen")):
        return None
    return copy.deepcopy


def copied(value: Any, memo: dict[int, Any]) -> Any:
    cls = type(value)
    if cls in _HOW:
        how = _HOW[cls]
    else:
        how = _HOW[cls] = _how(cls)
        if how is None:
            _KEPT.add(cls)
    return value if how is None else how(value, memo)


class CheapCopy:
    """Mixed into the aggregates' base: ``copy.deepcopy`` of an aggregate shares its immutable values."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        clone = object.__new__(type(self))
        memo[id(self)] = clone
        clone.__dict__.update(
            {name: value if type(value) in _KEPT else copied(value, memo) for name, value in self.__dict__.items()}
        )
        return clone
