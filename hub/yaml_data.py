"""Reading the hub's YAML files (the policy, routing, deadlines, notices, places, commands, indicators).

libyaml's safe loader where it is built in: the same documents, parsed several times faster. Each
process parses these at start, every test's hub too, and the deadline table took a tenth of a
catch-up's CPU when parsed by the pure-Python loader.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python
