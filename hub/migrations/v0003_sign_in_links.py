"""Version 3: the one-time sign-in links and codes sent to registered addresses (hub/services/sign_in_link_table.py,
docs/decisions/0048). Additive: a table and its index."""

from __future__ import annotations

from hub.migrations.step import Step

_STATEMENTS = (
    """CREATE TABLE IF NOT EXISTS {hub_sign_in_links} (
        link TEXT PRIMARY KEY, code TEXT NOT NULL, address_id TEXT NOT NULL, created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL, wrong_codes INTEGER NOT NULL, used_at TEXT)""",
    "CREATE INDEX IF NOT EXISTS hub_sign_in_links_address ON {hub_sign_in_links} (address_id, created_at)",
)

SIGN_IN_LINKS = Step(
    version=3, name="one-time sign-in links and codes", additive=True, tables=("hub_sign_in_links",),
    sqlite=_STATEMENTS, postgres=_STATEMENTS,
)
