"""The table of one-time sign-in links and codes, beside the log (docs/decisions/0048).

A row is one link sent: a hash of its secret and of its code (never either), the address it was sent to
(by the address's id), when it expires, how many wrong codes were tried against it, and when it was used.
Times are UTC ISO 8601, fixed width, so they compare as text on either store.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from hub.projections.sql import Sql

TABLE = "hub_sign_in_links"
KEPT = timedelta(days=1)  # rows older than the longest rate-limit window are forgotten

def _moment(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


class LinkTable:
    def __init__(self, sql: Sql) -> None:
        self.sql = sql  # the table is made by hub/migrations/v0003_sign_in_links.py

    def add(self, link: str, code: str, address_id: UUID, now: datetime, expires_at: datetime) -> None:
        with self.sql.transaction() as cursor:
            cursor.execute("DELETE FROM {hub_sign_in_links} WHERE created_at < ?", [TABLE], [_moment(now - KEPT)])
            cursor.execute(
                "INSERT INTO {hub_sign_in_links} VALUES (?, ?, ?, ?, ?, 0, NULL)", [TABLE],
                [link, code, str(address_id), _moment(now), _moment(expires_at)],
            )

    def sent_since(self, address_id: UUID, since: datetime) -> int:
        rows = self.sql.query(
            "SELECT COUNT(*) FROM {hub_sign_in_links} WHERE address_id = ? AND created_at > ?", [TABLE],
            [str(address_id), _moment(since)],
        )
        return int(rows[0][0])

    def use_link(self, link: str, now: datetime) -> UUID | None:
        """The address of a live link, which is used up now: a second use finds nothing."""
        return self._use("link = ?", [link], now)

    def use_code(self, address_id: UUID, code: str, now: datetime, most_wrong: int) -> UUID | None:
        """The address, if ``code`` is that of its live link (used up now); a wrong code counts against every
        live link of the address, and a link with ``most_wrong`` wrong codes takes no code any more."""
        used = self._use("address_id = ? AND code = ? AND wrong_codes < ?", [str(address_id), code, most_wrong], now)
        if used is None:
            with self.sql.transaction() as cursor:
                cursor.execute(
                    "UPDATE {hub_sign_in_links} SET wrong_codes = wrong_codes + 1 "
                    "WHERE address_id = ? AND used_at IS NULL AND expires_at > ?", [TABLE],
                    [str(address_id), _moment(now)],
                )
        return used

    def _use(self, where: str, values: list[object], now: datetime) -> UUID | None:
        with self.sql.transaction() as cursor:
            cursor.execute(
                f"UPDATE {{hub_sign_in_links}} SET used_at = ? WHERE {where} AND used_at IS NULL AND expires_at > ? "
                "RETURNING address_id", [TABLE], [_moment(now), *values, _moment(now)],
            )
            rows = cursor.fetchall()
        return UUID(rows[0][0]) if rows else None
