"""Copying an aggregate as the library's cache hands it out, without copying what cannot change.

The repository's cache gives each command a deep copy of the cached aggregate, so that a command
that fails leaves the cached one as it was. ``copy.deepcopy`` copies a UUID by pickling it: a
child named by a hundred referrals holds a hundred ids, and copying them cost more than folding
the event that added the last one (issue #13: the answer's cost must not grow with the child's
history). Ids, dates, strings, numbers, enum members and actors are immutable, so they are shared, and so are
a list of ``Ids`` (an aggregate replaces it, never changes it) and a frozen pydantic model (a
referral's content: nothing assigns to it, and copying it cost more than the rest of the referral);
lists, dicts and sets are copied, and anything else is deep-copied as before. The cache is given
such a copy of everything a command saves (hub.crypto.erased_repository), so this runs on every command.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from hub.actor import Actor


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

_IMMUTABLE = (str, int, float, bool, bytes, UUID, datetime, date, timedelta, Decimal, Enum, type(None), Ids, Actor)
# The exact classes of nearly every value an aggregate holds, told by one set lookup: ``isinstance`` against the
# tuple above, then against pydantic's abstract BaseModel, was most of the cost of a copy (issue #13: a poll's
# save copies every aggregate it saved for the log follower). Subclasses still take the checks below.
_SHARED_EXACTLY = frozenset({str, int, float, bool, bytes, UUID, datetime, date, timedelta, Decimal, type(None), Ids,
                            Actor})


def copied(value: Any, memo: dict[int, Any]) -> Any:
    kind = type(value)
    if kind in _SHARED_EXACTLY:
        return value
    if kind is dict:
        return {key: copied(item, memo) for key, item in value.items()}
    if kind is list:
        return [copied(item, memo) for item in value]
    if isinstance(value, _IMMUTABLE) or (isinstance(value, BaseModel) and value.model_config.get("frozen")):
        return value
    if kind is set:
        return {copied(item, memo) for item in value}
    if kind is tuple:
        return tuple(copied(item, memo) for item in value)
    return copy.deepcopy(value, memo)


class CheapCopy:
    """Mixed into the aggregates' base: ``copy.deepcopy`` of an aggregate shares its immutable values."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        clone = object.__new__(type(self))
        memo[id(self)] = clone
        clone.__dict__.update({name: copied(value, memo) for name, value in self.__dict__.items()})
        return clone
