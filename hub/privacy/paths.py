"""Dotted field paths into nested records: read one, and rebuild a record from the paths kept."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

_MISSING = object()


def get_path(record: dict[str, Any], path: str) -> Any:
    return _at(record, path.split("."))


def _at(record: dict[str, Any], parts: Iterable[str]) -> Any:
    value: Any = record
    for part in parts:
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def present(value: Any) -> bool:
    return value is not _MISSING


def keep(record: dict[str, Any], paths: set[str]) -> dict[str, Any]:
    """A new record holding only the given paths (that exist in the record)."""
    result: dict[str, Any] = {}
    for path in sorted(paths):
        if "." not in path:  # most fields are at the top: one lookup, not a walk
            if path in record:
                result[path] = record[path]
            continue
        value = get_path(record, path)
        if value is _MISSING:
            continue
        parts = path.split(".")
        node = result
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return result


class Picks:
    """The paths a decision grants, read from a record in one pass: ``keep(record, granted & leaf_paths(record,
    catalogued))`` and those paths in order, without listing the record's leaves first. Made once per decision
    (hub/privacy/decisions.py) and used for every record it is taken for; the paths granted are catalogued ones,
    so every prefix of a dotted path is a branch of the catalogue."""

    def __init__(self, granted: frozenset[str], catalogued: frozenset[str]) -> None:
        branches = _branches(catalogued)
        # The paths in order (as ``keep`` builds), in runs under one parent (the top; content.child...): a run's
        # parent is found once, and its fields read by one comprehension.
        self._runs: list[_Run] = []
        for path in sorted(granted):
            *parent, name = path.split(".")
            if not self._runs or self._runs[-1].parent != tuple(parent):
                self._runs.append(_Run(tuple(parent)))
            self._runs[-1].add(name, path, path in branches)

    def of(self, record: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
        """The record holding only the granted paths it has as leaves, and those paths, sorted."""
        kept: dict[str, Any] = {}
        visible: list[str] = []
        for run in self._runs:
            source = _at(record, run.parent)
            if not isinstance(source, dict):
                continue
            found = [name for name in run.names if name in source]
            if run.branches:  # not a leaf where the record holds a dict: the catalogue goes on into it
                found = [name for name in found if not (name in run.branches and isinstance(source[name], dict))]
            if not found:
                continue
            target = kept
            for part in run.parent:
                target = target.setdefault(part, {})
            for name in found:
                target[name] = source[name]
            visible += [run.paths[name] for name in found] if run.parent else found
        return kept, tuple(visible)


class _Run:
    """Paths of one parent, in order: their last parts, their full paths, and which are branches of the catalogue."""

    def __init__(self, parent: tuple[str, ...]) -> None:
        self.parent = parent
        self.names: list[str] = []
        self.paths: dict[str, str] = {}
        self.branches: set[str] = set()

    def add(self, name: str, path: str, branch: bool) -> None:
        self.names.append(name)
        self.paths[name] = path
        if branch:
            self.branches.add(name)


def leaf_paths(record: dict[str, Any], catalogued: set[str], prefix: str = "") -> set[str]:
    """Every path of the record, descending into dicts only where the catalogue does."""
    return _leaves(record, _branches(frozenset(catalogued)), prefix)


@lru_cache(maxsize=64)
def _branches(catalogued: frozenset[str]) -> frozenset[str]:
    """The paths the catalogue has fields under; the same few catalogues are asked about all the time."""
    return frozenset(c[:i] for c in catalogued for i, char in enumerate(c) if char == ".")


def _leaves(record: dict[str, Any], branches: frozenset[str], prefix: str) -> set[str]:
    # ``branches``: the paths the catalogue has fields under, so each key is one set lookup, not a scan.
    paths = set()
    for key, value in record.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and path in branches:
            paths |= _leaves(value, branches, path + ".")
        else:
            paths.add(path)
    return paths
