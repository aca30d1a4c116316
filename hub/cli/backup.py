"""``hub backup DIR`` and ``hub restore DIR``: see hub/backup and docs/decisions/0033-backups-that-restore.md."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _backup(args: argparse.Namespace) -> int:
    from hub.backup.run import take_backup

    manifest = take_backup(None, args.directory, args.keys_to)
    head = manifest.head
    if args.json:
        print(json.dumps({"directory": str(args.directory), **vars(manifest)}))
    else:
        print(f"backed up the {manifest.store} store to {args.directory}: the log through position {head['position']}"
              f" at least (sealed head {head['link'][:16]}...)")
        if args.keys_to is None:
            print("no keys written: the master key and the checkpoint key must be kept apart (--keys-to FILE)")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from hub.backup.run import restore_backup

    restored = restore_backup(None, args.directory, args.keys_from)
    check = restored.verification
    if args.json:
        print(json.dumps({"ok": check.ok, "events": check.events, "head": check.head, "problems": check.problem_count}))
    else:
        print(f"restored {check.events} events (head at position {check.head}) from {args.directory}:"
              f" {'the chain verifies through the sealed head' if check.ok else f'{check.problem_count} problems'}")
        for problem in check.problems:
            print(f"  {problem.kind} at {problem.position}: {problem.detail}")
    return 0 if check.ok else 1


def add_commands(commands: argparse._SubParsersAction) -> None:
    backup = commands.add_parser(
        "backup", help="copy the store (events, chain, checkpoints, tokens, refusals, views) while the hub runs"
    )
    backup.add_argument("directory", type=Path, help="a new or empty directory for this backup")
    backup.add_argument("--keys-to", type=Path, metavar="FILE",
                        help="also write the master and checkpoint keys to FILE, to keep apart from the backup")
    backup.add_argument("--json", action="store_true", help="print the manifest as JSON")
    backup.set_defaults(run=_backup)

    restore = commands.add_parser(
        "restore", help="restore a backup into an empty store and verify its chain (exit 1 if it does not verify)"
    )
    restore.add_argument("directory", type=Path, help="a directory written by `hub backup`")
    restore.add_argument("--keys-from", type=Path, metavar="FILE",
                         help="the keys file `hub backup --keys-to` wrote: placed beside the embedded store, or"
                              " checked against HUB_MASTER_KEY and the checkpoint key configured")
    restore.add_argument("--json", action="store_true", help="print the result as JSON")
    restore.set_defaults(run=_restore)
