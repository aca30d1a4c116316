"""The embedded store copied with SQLite's online backup API: consistent while the hub goes on writing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hub.backup.manifest import BackupError


def copy_database(source: Path, target: Path) -> None:
    """Copies ``source`` into ``target`` page by page; writers to ``source`` wait only for each step."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=1024)
    dst.close()
    src.close()


def restore_database(backup: Path, target: Path) -> None:
    """Copies the backup into ``target``, which must hold no events (a restore never merges two logs)."""
    if _holds_events(target):
        raise BackupError(f"{target} already holds events: restore into an empty store (a new HUB_DATA_DIR)")
    copy_database(backup, target)


def _holds_events(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        holds = "stored_events" in tables and conn.execute("SELECT 1 FROM stored_events LIMIT 1").fetchone()
    conn.close()
    return bool(holds)
