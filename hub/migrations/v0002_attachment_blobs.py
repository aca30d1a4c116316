"""Version 2: the sealed bytes of files attached to a child's records, where they are kept in the database
(hub/attachments/database_blobs.py, docs/decisions/0047). Additive: a table and its index."""

from __future__ import annotations

from hub.migrations.step import Step

ATTACHMENT_BLOBS = Step(
    version=2,
    name="the sealed bytes of files attached to records",
    additive=True,
    tables=("hub_attachment_blobs",),
    sqlite=(
        "CREATE TABLE IF NOT EXISTS {hub_attachment_blobs} (attachment_id TEXT PRIMARY KEY, child_id TEXT NOT NULL,"
        " sealed BLOB NOT NULL)",
        "CREATE INDEX IF NOT EXISTS hub_attachment_blobs_child_idx ON {hub_attachment_blobs} (child_id)",
    ),
    postgres=(
        "CREATE TABLE IF NOT EXISTS {hub_attachment_blobs} (attachment_id uuid PRIMARY KEY, child_id uuid NOT NULL,"
        " sealed bytea NOT NULL)",
        "CREATE INDEX IF NOT EXISTS hub_attachment_blobs_child_idx ON {hub_attachment_blobs} (child_id)",
    ),
)
