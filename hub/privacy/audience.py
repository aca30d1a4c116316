"""Which bodies a dossier can show anything to, known before any rule is judged for any of them.

Most conditions of the policy hold only for a body the child's file names: the referrer, the
recipient, the managing centre, the body a notice went to, the school the child attends... Each such
condition is declared with the names it reads in the file (``names=`` in hub/privacy/conditions.py,
collected there as ``NAMED_BY``); one holds only for the bodies working where the child is
(``in_child_city``, found here by place). A grant naming such a condition can speak only to a body the
file names so. A body of a kind to which some grant speaks without any such condition (an ombudsman, an
auditor) may see every child. Every other registered body sees nothing of this child, whatever its
records say, and is not judged at all: the cost of a child's views follows the bodies involved with the
child, not the size of the register (a deployment has hundreds of schools and police units).

A condition declared without names (and not ``in_child_city``) is taken to hold for anyone: slower,
never wrong. Every test's hub checks at its end that no body the policy shows anything to was left out
(tests/audience_check.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from hub.aggregates.vocabulary import BodyKind
from hub.geography.units import geography
from hub.privacy.addressing import addressed_to
from hub.privacy.conditions import NAMED_BY, in_child_city
from hub.privacy.dossier import AgencyRef, Dossier, RecordRef
from hub.privacy.policy_file import PolicyFile

IN_PLACE = in_child_city.__name__  # the one locating condition found by place, not by the file's names
_LOCATING = {*NAMED_BY, IN_PLACE}


def _name(condition: Any) -> str:
    return condition if isinstance(condition, str) else next(iter(condition))


class _Register:
    """The registered bodies, found by code, kind and unit: a dossier's audience is found from what it
    names, not by going through the register."""

    def __init__(self, agencies: Mapping[str, AgencyRef], needs_of: Callable[[BodyKind], list[frozenset[str]] | None]) -> None:
        self.agencies = agencies
        self.position = {code: n for n, code in enumerate(agencies)}
        self.by_kind: dict[str, list[AgencyRef]] = {}
        self.by_unit: dict[str, list[AgencyRef]] = {}  # only the bodies of kinds a grant finds by ``in_child_city``
        self.everywhere: list[AgencyRef] = []  # the bodies of kinds some grant speaks to unconditioned
        for agency in agencies.values():
            self.by_kind.setdefault(str(agency.kind), []).append(agency)
            needs = needs_of(agency.kind)
            if needs is None:
                self.everywhere.append(agency)
            elif any(IN_PLACE in locating for locating in needs):
                self.by_unit.setdefault(agency.unit, []).append(agency)

    def named(self, name: str | None) -> list[AgencyRef]:
        """The body of this code, or the bodies of this kind."""
        found = self.agencies.get(name) if name is not None else None
        return [found] if found is not None else self.by_kind.get(str(name), [])

    def working_in(self, city: str) -> Iterator[AgencyRef]:
        """The bodies whose unit is the child's or contains it, of the kinds for which that can matter."""
        return (agency for unit in _units_around(city) for agency in self.by_unit.get(unit, []))


@lru_cache(maxsize=4096)
def _units_around(city: str) -> tuple[str, ...]:
    return tuple(unit.code for unit in geography().chain(city))


class Audience:
    """For one policy: which registered bodies to judge for a dossier."""

    def __init__(self, file: PolicyFile) -> None:
        self.file = file
        # Per kind of body: None if some grant speaks to it without naming any body (every body of the kind
        # may see every child), else the fewest sets of locating conditions, one of which must all hold
        # loosely for a body of the kind to be judged (a grant needing more than another grant is left out).
        self._needs: dict[BodyKind, list[frozenset[str]] | None] = {}
        self._register: _Register | None = None

    def _needs_of(self, kind: BodyKind) -> list[frozenset[str]] | None:
        if kind not in self._needs:
            needs: set[frozenset[str]] = set()
            for grant in self.file.grants:
                if not addressed_to(grant.to, kind, None):
                    continue
                locating = frozenset(_name(c) for c in grant.when) & _LOCATING
                if not locating:
                    self._needs[kind] = None
                    break
                needs.add(locating)
            else:
                self._needs[kind] = sorted((n for n in needs if not any(o < n for o in needs)), key=sorted)
        return self._needs[kind]

    def _indexed(self, agencies: Mapping[str, AgencyRef]) -> _Register:
        # The fold replaces its register whenever the directory changes, never edits it: the same mapping is
        # the same register.
        register = self._register
        if register is None or register.agencies is not agencies:
            register = self._register = _Register(agencies, self._needs_of)
        return register

    def of(self, agencies: Mapping[str, AgencyRef], dossier: Dossier, refs: list[RecordRef]) -> list[AgencyRef]:
        """The registered bodies (by code), in the register's order, that some grant may speak to about this
        dossier."""
        register = self._indexed(agencies)
        naming: dict[str | None, set[str]] = {}  # a code or kind the file names: by which conditions
        for condition, names in NAMED_BY.items():
            for name in names(dossier, refs):
                naming.setdefault(name, set()).add(condition)
        candidates = {a.code: a for a in register.everywhere}
        candidates.update((a.code, a) for name in naming for a in register.named(name))
        local = set() if dossier.city is None else {a.code for a in register.working_in(dossier.city)}
        candidates.update((code, agencies[code]) for code in local)
        chosen = []
        for code, agency in candidates.items():
            needs = self._needs_of(agency.kind)
            holding = naming.get(code, set()) | naming.get(str(agency.kind), set()) | ({IN_PLACE} if code in local else set())
            if needs is None or any(locating <= holding for locating in needs):
                chosen.append(agency)
        return sorted(chosen, key=lambda a: register.position[a.code])
