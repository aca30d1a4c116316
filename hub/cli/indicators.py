"""``hub audit indicators``: the monitoring indicators of a period, by replay, anonymised (JSON, or CSV)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import datetime

from hub.cli.reader import add_token_argument, reader


def _indicators(args: argparse.Namespace) -> int:
    from hub.application import HubApplication
    from hub.reports.csv import indicators_csv

    app = HubApplication()
    try:
        report = app.indicators(reader(app, args.token), args.start, args.end, args.as_of)
    finally:
        app.close()
    sys.stdout.write(indicators_csv(report) if args.csv else json.dumps(asdict(report), default=str, indent=2) + "\n")
    return 0


def add_indicators(audit: argparse._SubParsersAction) -> None:
    indicators = audit.add_parser(
        "indicators", help="the manual's monitoring indicators of a period (§7.2), anonymised, replayed from the log"
    )
    add_token_argument(indicators)
    for flag, dest, bound in (("--from", "start", "inclusive"), ("--to", "end", "exclusive")):
        indicators.add_argument(flag, dest=dest, metavar="WHEN", type=datetime.fromisoformat, required=True,
                                help=f"ISO 8601 with a time zone, {bound}")
    indicators.add_argument("--as-of", type=datetime.fromisoformat, metavar="WHEN",
                            help="replay the log up to this moment (default: now): a past report made again")
    indicators.add_argument("--csv", action="store_true", help="print CSV instead of JSON")
    indicators.set_defaults(run=_indicators)
