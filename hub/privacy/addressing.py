"""Whom a rule of the policy speaks to: patterns ``kind:role``, either part ``*``."""

from __future__ import annotations

from collections.abc import Iterable

from hub.aggregates.vocabulary import BodyKind

ALL_ROLES = "*"


def addressed_to(patterns: Iterable[str], kind: BodyKind, role: str | None) -> set[str] | None:
    """The roles of this kind a rule speaks to (ALL_ROLES for every role), or None if it does not."""
    roles: set[str] = set()
    for pattern in patterns:
        pattern_kind, _, pattern_role = pattern.partition(":")
        if pattern_kind not in ("*", str(kind)):
            continue
        if pattern_role == "*":
            return {ALL_ROLES}
        if role is None or role == pattern_role:
            roles.add(pattern_role)
    return roles or None
