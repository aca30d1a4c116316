"""``hub views rebuild``: the views built again beside the live ones and switched in (docs/decisions/0046)."""

from __future__ import annotations

import argparse
import json
import os


def _rebuild(args: argparse.Namespace) -> int:
    from hub.application import HubApplication
    from hub.observability.worker_port import serve_metrics
    from hub.projections.rebuild import rebuild_views

    serve_metrics(os.environ)  # its progress (hub_progress_events) on HUB_METRICS_PORT when set; a bar on a terminal
    app = HubApplication()
    try:
        rebuilt = rebuild_views(app)
    finally:
        app.close()
    if args.json:
        print(json.dumps(vars(rebuilt)))
    else:
        print(f"rebuilt the views from the log through position {rebuilt.position} in {rebuilt.seconds:.1f} s"
              f" and switched them in ({rebuilt.tries} tries); reads were served from the old ones meanwhile")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    views = commands.add_parser("views", help="the per-agency views").add_subparsers(dest="action", required=True)
    rebuild = views.add_parser(
        "rebuild",
        help="build the views, inbox and indexes again from the log beside the live ones, then switch them in;"
             " the hub serves from the live ones meanwhile",
    )
    rebuild.add_argument("--json", action="store_true", help="print where it switched and how long it took as JSON")
    rebuild.set_defaults(run=_rebuild)
