"""Version 1: the original tables as the releases before migrations created them, each at start-up.

Every statement is ``IF NOT EXISTS``, so a store written by such a release is adopted as it is (its
version recorded, nothing changed) and an empty one is created. This file never changes: a later shape
is a later step. The views, the inbox, the duplicate index and the break-the-glass openings are not
here: they are derived from the log, created by their modules and rebuilt, not migrated (0046).
"""

from __future__ import annotations

from hub.migrations.step import MigrationRefused, Step
from hub.projections.sql import Sql

_BOTH = (
    """CREATE TABLE IF NOT EXISTS {hub_refused_requests} (
        id TEXT PRIMARY KEY, at TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL, status INTEGER NOT NULL,
        problem TEXT NOT NULL, agency TEXT, role TEXT, user_name TEXT, token TEXT, times INTEGER NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS hub_refused_requests_at ON {hub_refused_requests} (at)",
    """CREATE TABLE IF NOT EXISTS {hub_web_sessions} (
        id TEXT PRIMARY KEY, token_id TEXT NOT NULL, created_at TEXT NOT NULL, last_seen TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS hub_web_sessions_last_seen ON {hub_web_sessions} (last_seen)",
    "CREATE TABLE IF NOT EXISTS {hub_checkpoint_shipped} (sink TEXT PRIMARY KEY, position BIGINT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS {hub_delivery_tracking} (name TEXT PRIMARY KEY, position BIGINT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {hub_delivery_queue} (
        notice_id TEXT NOT NULL, channel TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0,
        due_at DOUBLE PRECISION NOT NULL, lease_until DOUBLE PRECISION NOT NULL DEFAULT 0,
        PRIMARY KEY (notice_id, channel))""",
    """CREATE TABLE IF NOT EXISTS {hub_leader_leases} (
        kind TEXT PRIMARY KEY, token BIGINT NOT NULL, holder TEXT NOT NULL, since TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS {hub_relay_tracking} (name TEXT PRIMARY KEY, position BIGINT NOT NULL)""",
    # Which bodies were last sent something about a child: when one no longer sees anything,
    # it is sent an empty list, so a withdrawal (of consent, of a referral) reaches it too.
    """CREATE TABLE IF NOT EXISTS {hub_relay_sent} (
        child_id TEXT NOT NULL, agency TEXT NOT NULL, position BIGINT NOT NULL, PRIMARY KEY (child_id, agency))""",
    # Where each partition's messages ended with the last recorded round: the next leader reads from here.
    """CREATE TABLE IF NOT EXISTS {hub_relay_offsets} (
        topic TEXT NOT NULL, part INTEGER NOT NULL, next_offset BIGINT NOT NULL, PRIMARY KEY (topic, part))""",
)

_SQLITE = (
    "CREATE TABLE IF NOT EXISTS {hub_child_keys} (child_id TEXT PRIMARY KEY, wrapped_key BLOB,"
    " created_at TEXT NOT NULL, shredded_at TEXT)",
    "CREATE TABLE IF NOT EXISTS {hub_subjects} (aggregate_id TEXT PRIMARY KEY, child_id TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS hub_subjects_child_idx ON {hub_subjects} (child_id)",
    "CREATE TABLE IF NOT EXISTS {hub_chain} (notification_id INTEGER PRIMARY KEY, digest BLOB NOT NULL,"
    " link BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {hub_checkpoints} (notification_id INTEGER PRIMARY KEY, link BLOB NOT NULL,"
    " tree_size INTEGER NOT NULL, root BLOB NOT NULL, signed_at TEXT NOT NULL, signature BLOB NOT NULL,"
    " key_id TEXT NOT NULL, frontier BLOB NOT NULL)",
)

_POSTGRES = (
    "CREATE TABLE IF NOT EXISTS {hub_child_keys} (child_id uuid PRIMARY KEY, wrapped_key bytea,"
    " created_at timestamptz NOT NULL, shredded_at timestamptz)",
    "CREATE TABLE IF NOT EXISTS {hub_subjects} (aggregate_id uuid PRIMARY KEY, child_id uuid NOT NULL)",
    "CREATE INDEX IF NOT EXISTS hub_subjects_child_idx ON {hub_subjects} (child_id)",
    "CREATE TABLE IF NOT EXISTS {hub_chain} (notification_id bigint PRIMARY KEY, digest bytea NOT NULL,"
    " link bytea NOT NULL)",
    "CREATE TABLE IF NOT EXISTS {hub_checkpoints} (notification_id bigint PRIMARY KEY, link bytea NOT NULL,"
    " tree_size bigint NOT NULL, root bytea NOT NULL, signed_at text NOT NULL, signature bytea NOT NULL,"
    " key_id text NOT NULL, frontier bytea NOT NULL)",
)



def _refuse_checkpoints_before_0021(sql: Sql) -> None:
    if sql.postgres:
        rows = sql.query(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
            (), [sql.schema, "hub_checkpoints"],
        )
    else:
        rows = sql.query("SELECT name FROM pragma_table_info('hub_checkpoints')", ())
    columns = {r[0] for r in rows}
    if columns and "frontier" not in columns:
        raise MigrationRefused(
            "hub_checkpoints predates docs/decisions/0021: its checkpoints were signed with a key derived from"
            " the master key and prove nothing. Start from a new store, or rename the table away and accept"
            " that `hub audit verify` reports the checkpoints it held as missing."
        )


ADOPT = Step(
    version=1,
    name="adopt the original tables of the releases before migrations",
    additive=True,
    tables=(
        "hub_child_keys", "hub_subjects", "hub_chain", "hub_checkpoints", "hub_checkpoint_shipped", "hub_refused_requests",
        "hub_web_sessions", "hub_delivery_tracking", "hub_delivery_queue", "hub_leader_leases", "hub_relay_tracking",
        "hub_relay_sent", "hub_relay_offsets",
    ),
    sqlite=(*_SQLITE, *_BOTH),
    postgres=(*_POSTGRES, *_BOTH),
    refuse=_refuse_checkpoints_before_0021,
)
