"""Recorder mixins that chain every stored event in the transaction that appends it.

SQLite's recorder returns the new positions from its ``_insert_events``;
PostgreSQL's learns them after the pipelined insert, under the table lock, so
the chain is appended there. Either way a refused append leaves no link, and
no event is ever stored without one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from eventsourcing.persistence import StoredEvent

from hub.audit.chain_store import ChainStore


class Chaining:
    chain: ChainStore | None = None

    def _chain_store(self) -> ChainStore:
        if self.chain is None:
            raise RuntimeError("the recorder was not given the hash chain's store")
        return self.chain


class SQLiteChaining(Chaining):
    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        chain = self._chain_store()
        positions = super()._insert_events(c, stored_events, **kwargs)  # type: ignore[misc]
        chain.append(c, positions, stored_events)
        return positions


class _ChainFailed(BaseException):
    """Carries a failure to chain past the library's ``except Exception``, which would otherwise let the
    transaction commit the events unchained and re-raise only afterwards."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error


class PostgresChaining(Chaining):
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        try:
            return super().insert_events(stored_events, **kwargs)  # type: ignore[misc]
        except _ChainFailed as failed:
            raise failed.error from None

    def _fetch_ids_after_insert_events(self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        chain = self._chain_store()
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)  # type: ignore[misc]
        try:
            chain.append(curs, positions, stored_events)
        except psycopg.Error:
            raise  # the server has aborted the transaction already; the library reports it as a persistence error
        except Exception as error:
            raise _ChainFailed(error) from error  # rolls the transaction back: no event is stored unchained
        return positions
