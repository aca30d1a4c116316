"""Recorder mixins that chain every stored event in the transaction that appends it.

SQLite's recorder returns the new positions from its ``_insert_events``;
PostgreSQL's learns them after the pipelined insert, under the table lock, so
the chain is appended there. Either way a refused append leaves no link, and
no event is ever stored without one.

PostgreSQL's append is the library's, with one change (decision 0056): its pipeline is ended by leaving
the pipeline block, not by ``Pipeline.sync()``. psycopg's sync stops sending once its queue of commands is
empty even when the socket took only part of what libpq holds, and then waits for results the server
cannot produce: with a batch larger than the socket's buffers, sent while the server waited for the
table lock, the server waited for the rest of the statement and the writer for its answer, holding the
lock on the events table, until someone killed one of them. Leaving the block flushes everything first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.utils import retry

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


class PostgresChaining(Chaining):
    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's append retries
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        with self.datastore.get_connection() as conn, conn.transaction():  # type: ignore[attr-defined]
            with conn.cursor() as indexing, conn.cursor() as inserting:
                with conn.pipeline():  # its end sends all, then reads every answer: a refusal is raised here
                    self._insert_events(indexing, stored_events, **kwargs)  # type: ignore[attr-defined]
                    if stored_events:
                        self._insert_stored_events(inserting, stored_events, **kwargs)  # type: ignore[attr-defined]
                if not stored_events:
                    return None
                positions = self._fetch_ids_after_insert_events(  # type: ignore[attr-defined]
                    inserting, stored_events, **kwargs
                )
                self._chain_store().append(inserting, positions, stored_events)
                return positions
