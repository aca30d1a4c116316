"""Interprets ``policy/commands.yaml``: which roles of which bodies may run a command."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from hub.aggregates.vocabulary import BodyKind
from hub.yaml_data import load_yaml


@cache
def _policy() -> dict[str, Any]:
    return load_yaml(resources.files("hub.policy").joinpath("commands.yaml").read_text(encoding="utf-8"))


def roles_of(kind: BodyKind) -> list[str]:
    return list(_policy()["roles"].get(str(kind), []))


def commands() -> list[str]:
    return sorted(_policy()["commands"])


def may(kind: BodyKind, role: str, command: str) -> bool:
    allowed = _policy()["commands"].get(command)
    if allowed is None:
        raise KeyError(f"command {command!r} is not in the policy")
    return f"{kind}:{role}" in allowed or (f"{kind}:*" in allowed and role in roles_of(kind))
