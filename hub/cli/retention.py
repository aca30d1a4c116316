"""``hub retention``: archive the closed files of children who came of age (D53; docs/decisions/0019)."""

from __future__ import annotations

import argparse
import getpass
from datetime import date


def _retention(args: argparse.Namespace) -> int:
    from hub.actor import Actor
    from hub.bootstrap import bootstrap
    from hub.cli.workers import once_or_every

    app = bootstrap()
    operator = Actor(agency="hub", role="admin", user=getpass.getuser())

    def step() -> int:
        run = app.retention.apply_retention(operator, args.as_of, dry_run=args.dry_run)
        verb = "would archive" if args.dry_run else "archived"
        print(f"{verb} {len(run.archived)} child record(s) as of {run.as_of} (retention age {run.retention_age});"
              f" kept {len(run.kept)}" + ("" if args.dry_run else f" (run {run.id})"), flush=True)
        for child_id in run.archived:
            print(f"  {verb} {child_id}")
        for kept in run.kept:
            print(f"  kept {kept['child_id']}: {kept['reason']}")
        return 0  # a schedule, not a queue: the loop waits the full interval whatever this run did

    return once_or_every(app, step, args.every, "retention")


def add_commands(commands: argparse._SubParsersAction) -> None:
    retention = commands.add_parser(
        "retention", help="archive closed files of children who reached HUB_RETENTION_AGE (default 18); logged as events"
    )
    retention.add_argument("--as-of", type=date.fromisoformat, help="the day to judge ages on (default: today)")
    retention.add_argument("--dry-run", action="store_true", help="list what would be archived and kept; record nothing")
    retention.add_argument("--every", type=float, metavar="SECONDS", help="run again at this interval until SIGTERM")
    retention.set_defaults(run=_retention)
