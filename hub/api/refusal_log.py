"""The table of refused API requests: who was refused what, when, and why; never what they sent.

A row holds the method, the route's path template (never the path as sent),
the status, the problem slug, the caller's agency, role and user when the
request was authenticated, and a fingerprint of any credential presented.
``times`` counts the refusals a row stands for: the identical refusals of one
authenticated caller within a minute, or the unauthenticated refusals of a
minute beyond the recording limit, are one row each (docs/decisions/0017, 0022).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.projections.sql import Sql

TABLE = "hub_refused_requests"

_COLUMNS = "id, at, method, path, status, problem, agency, role, user_name, token, times"
_VALUES = f"({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT = f"INSERT INTO {{hub_refused_requests}} {_VALUES}"
_COUNT = f"INSERT INTO {{hub_refused_requests}} AS r {_VALUES} ON CONFLICT (id) DO UPDATE SET times = r.times + 1"


@dataclass(frozen=True)
class Refusal:
    at: datetime
    method: str
    path: str
    status: int
    problem: str
    agency: str | None = None
    role: str | None = None
    user: str | None = None
    token: str | None = None  # a keyed fingerprint of the credential presented, never the credential
    times: int = 1


class RefusalLog:
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def add(self, row_id: str, refusal: Refusal) -> None:
        with self.sql.transaction() as cursor:
            cursor.execute(_INSERT, [TABLE], [row_id, *_values(refusal)])

    def count(self, row_id: str, refusal: Refusal) -> None:
        """One more refusal on the row ``row_id``; the first one writes the row as ``refusal``."""
        with self.sql.transaction() as cursor:
            cursor.execute(_COUNT, [TABLE], [row_id, *_values(refusal)])

    def since(self, moment: datetime) -> list[Refusal]:
        rows = self.sql.query(
            f"SELECT {_COLUMNS} FROM {{hub_refused_requests}} WHERE at >= ? ORDER BY at, id", [TABLE], [moment.isoformat()]
        )
        return [
            Refusal(datetime.fromisoformat(at), method, path, status, problem, agency, role, user, token, times)
            for _, at, method, path, status, problem, agency, role, user, token, times in rows
        ]


def _values(refusal: Refusal) -> list[object]:
    return [
        refusal.at.isoformat(), refusal.method, refusal.path, refusal.status, refusal.problem,
        refusal.agency, refusal.role, refusal.user, refusal.token, refusal.times,
    ]
