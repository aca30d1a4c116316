"""Dotted field paths into nested records: read one, and rebuild a record from the paths kept."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

_MISSING = object()


def get_path(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
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
