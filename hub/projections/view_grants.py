"""What a view row shows to which roles of its body, and by which rules: kept once for all the rows sharing it.

A row's rules (the policy's rules that show each field) and roles (who in the body may read each field) follow
from the body's kind, the record's type and the conditions that held, so a few dozen pairs serve every row of a
store. Written into each row they were three quarters of the views' bytes (3.7 of 5 KB a row at 3 x 10^4
events) and of what a catch-up wrote (docs/decisions/0066). A row names its pair by a digest of the pair; a row a
hub before 0066 wrote holds its pair itself, names none, and is read as it is.
"""

from __future__ import annotations

import hashlib
import json

from hub.projections.sql import Cursor

TABLES = ("hub_view_grants",)
CREATE = "CREATE TABLE IF NOT EXISTS {hub_view_grants} (digest TEXT PRIMARY KEY, rules TEXT NOT NULL, roles TEXT NOT NULL)"


def digest(rules: str, roles: str) -> str:
    """The name of a pair, the same in every process and every rebuild: 128 bits of its SHA-256."""
    return hashlib.sha256(f"{rules}\x1f{roles}".encode()).hexdigest()[:32]


class Grants:
    """The pairs of one batch's rows, each encoded once: rows showing the same fields share the very dicts the
    policy's decision made (hub/privacy/decisions.py), so they are told apart by identity while the batch lives."""

    def __init__(self) -> None:
        self._named: dict[tuple[int, int], str] = {}
        self.pairs: dict[str, tuple[str, str]] = {}

    def name(self, rules: dict[str, list[str]], roles: dict[str, list[str]]) -> str:
        key = (id(rules), id(roles))
        named = self._named.get(key)
        if named is None:
            # Keys sorted: a decision lists its fields in the order of a set, which differs from one process to the
            # next (hash randomisation), and the same pair must have one name whichever process wrote it.
            pair = json.dumps(rules, sort_keys=True), json.dumps(roles, sort_keys=True)
            named = self._named[key] = digest(*pair)
            self.pairs[named] = pair
        return named

    def write(self, cursor: Cursor) -> None:
        cursor.insert_missing("hub_view_grants", [[name, *pair] for name, pair in self.pairs.items()])
