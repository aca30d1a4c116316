"""``hub audit access-report``: who saw what, for an auditor at a terminal (JSON, or CSV)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import datetime
from uuid import UUID

from hub.cli.reader import add_token_argument, reader


def _access_report(args: argparse.Namespace) -> int:
    from hub.application import HubApplication
    from hub.reports.access_report import ReportFilter
    from hub.reports.csv import report_csv

    app = HubApplication()
    try:
        report = app.access_report(
            reader(app, args.token), ReportFilter(args.child, args.agency, args.user, args.since, args.until)
        )
    finally:
        app.close()
    sys.stdout.write(report_csv(report) if args.csv else json.dumps(asdict(report), default=str, indent=2) + "\n")
    return 0


def add_access_report(audit: argparse._SubParsersAction) -> None:
    report = audit.add_parser(
        "access-report", help="who saw what: every read, publication and break-the-glass, by child, agency or period"
    )
    add_token_argument(report)
    report.add_argument("--child", type=UUID, help="a child's id")
    report.add_argument("--agency", help="an agency's code")
    report.add_argument("--user", help="a user of that agency")
    for flag, dest, bound in (("--from", "since", "inclusive"), ("--to", "until", "exclusive")):
        report.add_argument(flag, dest=dest, metavar="WHEN", type=datetime.fromisoformat,
                            help=f"ISO 8601 with a time zone, {bound}")
    report.add_argument("--csv", action="store_true", help="print CSV instead of JSON")
    report.set_defaults(run=_access_report)
