"""``hub audit indicators``: the monitoring indicators of a period, by replay, anonymised (JSON, or CSV)."""

from __future__ import annotations

import argparse

from hub.cli.moments import moment
from hub.cli.reader import add_report_arguments, print_report


def _indicators(args: argparse.Namespace) -> int:
    from hub.reports.csv import indicators_csv

    return print_report(args, lambda app, actor: app.indicators.indicators(actor, args.start, args.end, args.as_of), indicators_csv)


def add_indicators(audit: argparse._SubParsersAction) -> None:
    indicators = audit.add_parser(
        "indicators", help="the manual's monitoring indicators of a period (§7.2), anonymised, replayed from the log"
    )
    add_report_arguments(indicators)
    for flag, dest, bound in (("--from", "start", "inclusive"), ("--to", "end", "exclusive")):
        indicators.add_argument(flag, dest=dest, metavar="WHEN", type=moment, required=True,
                                help=f"ISO 8601 with a time zone (else HUB_TIMEZONE's), {bound}")
    indicators.add_argument("--as-of", type=moment, metavar="WHEN",
                            help="replay the log up to this moment (default: now): a past report made again")
    indicators.set_defaults(run=_indicators)
