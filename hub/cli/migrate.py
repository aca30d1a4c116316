"""``hub migrate``: brings the store's own tables to this release's shape (docs/decisions/0045)."""

from __future__ import annotations

import argparse
import json


def _migrate(args: argparse.Namespace) -> int:
    from hub.application import HubApplication
    from hub.migrations.runner import Migrations
    from hub.projections.sql import Sql

    app = HubApplication(migrate=True)  # a step it cannot take is a MigrationRefused: exit 2
    try:
        version = Migrations(Sql(app.recorder)).version()
    finally:
        app.close()
    applied = [{"version": s.version, "name": s.name} for s in app.migrated]
    if args.json:
        print(json.dumps({"version": version, "applied": applied}))
        return 0
    for step in applied:
        print(f"applied step {step['version']}: {step['name']}")
    print(f"the store is at schema version {version}" + ("" if applied else ", as this release needs"))
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    migrate = commands.add_parser(
        "migrate",
        help="apply every schema step the store has not had, those that only add and the others"
             " (start-up applies only the first kind); run it with the hub's older processes stopped",
    )
    migrate.add_argument("--json", action="store_true", help="print the version and the steps applied as JSON")
    migrate.set_defaults(run=_migrate)
