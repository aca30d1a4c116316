"""``hub_checkpoints``: the signed checkpoints, beside the chain, written in the transaction that
makes them (docs/decisions/0013, 0021).

Each row keeps, besides what was signed, the Merkle tree's frontier at its position, so that the
next checkpoint extends the tree from there instead of reading the whole chain. The frontier is
not trusted: a forged one gives roots that ``hub audit verify`` finds wrong.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hub.audit.checkpoint import Checkpoint
from hub.audit.merkle import Frontier
from hub.projections.sql import Cursor, Sql

CHECKPOINTS = "hub_checkpoints"
TABLES = (CHECKPOINTS,)

_COLUMNS = "notification_id, link, tree_size, root, signed_at, signature, key_id"
_INSERT = (
    f"INSERT INTO {{hub_checkpoints}} ({_COLUMNS}, frontier) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (notification_id) DO NOTHING"
)


def values(row: Any) -> tuple[Any, ...]:
    """A fetched row as a tuple, from either driver."""
    return tuple(row.values()) if isinstance(row, dict) else tuple(row)


def _checkpoint(row: tuple[Any, ...]) -> Checkpoint:
    position, link, tree_size, root, signed_at, signature, key_id = row
    return Checkpoint(
        position=int(position), link=bytes(link), tree_size=int(tree_size), root=bytes(root),
        signed_at=datetime.fromisoformat(signed_at), signature=bytes(signature), key_id=key_id,
    )


class CheckpointStore:
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def add(self, cursor: Cursor, checkpoint: Checkpoint, frontier: Frontier) -> None:
        cursor.execute(_INSERT, TABLES, (
            checkpoint.position, checkpoint.link, checkpoint.tree_size, checkpoint.root,
            checkpoint.signed_at.isoformat(), checkpoint.signature, checkpoint.key_id, frontier.to_bytes(),
        ))

    def at(self, cursor: Cursor, position: int) -> Checkpoint | None:
        cursor.execute(f"SELECT {_COLUMNS} FROM {{hub_checkpoints}} WHERE notification_id = ?", TABLES, [position])
        row = cursor.cursor.fetchone()
        return None if row is None else _checkpoint(values(row))

    def frontier_at_or_before(self, cursor: Cursor, position: int) -> tuple[int, Frontier]:
        """The latest checkpoint's position up to ``position`` and the tree's frontier there; (0, empty) if none."""
        cursor.execute(
            "SELECT notification_id, frontier FROM {hub_checkpoints} WHERE notification_id <= ?"
            " ORDER BY notification_id DESC LIMIT 1",
            TABLES, [position],
        )
        row = cursor.cursor.fetchone()
        if row is None:
            return 0, Frontier()
        at, frontier = values(row)
        return int(at), Frontier.from_bytes(bytes(frontier))

    def after(self, position: int, limit: int | None = None) -> list[Checkpoint]:
        """The checkpoints after ``position``, in position order."""
        statement = f"SELECT {_COLUMNS} FROM {{hub_checkpoints}} WHERE notification_id > ? ORDER BY notification_id"
        params: list[Any] = [position]
        if limit is not None:
            statement += " LIMIT ?"
            params.append(limit)
        return [_checkpoint(row) for row in self.sql.query(statement, TABLES, params)]
