"""One versioned change to the store's shape: its statements for each dialect, and whether it only adds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hub.errors import HubError
from hub.projections.sql import Sql


class MigrationRefused(HubError):
    """The store's shape is not one this release may serve, or change by itself."""

    title = "Migration needed"
    status = 503


@dataclass(frozen=True)
class Step:
    """Statements use ``?`` placeholders and ``{table}`` names (hub/projections/sql.py); ``tables`` names them.

    ``additive``: the step only creates tables, columns with defaults or indexes, so a release before it
    runs unchanged beside it; such a step is applied at start-up. Any other (a rename, a drop, a rewrite of
    rows) waits for an operator's ``hub migrate``, when nothing older is serving.
    """

    version: int
    name: str
    additive: bool
    tables: Sequence[str]
    sqlite: Sequence[str]
    postgres: Sequence[str]
    refuse: Callable[[Sql], None] = lambda sql: None  # raises, before any statement, for a store it cannot take

    def statements(self, postgres: bool) -> Sequence[str]:
        return self.postgres if postgres else self.sqlite
