"""``hub audit access-report``: who saw what, for an auditor at a terminal (JSON, or CSV)."""

from __future__ import annotations

import argparse
from uuid import UUID

from hub.cli.moments import moment
from hub.cli.reader import add_report_arguments, print_report


def _access_report(args: argparse.Namespace) -> int:
    from hub.reports.access_report import ReportFilter
    from hub.reports.csv import report_csv

    which = ReportFilter(args.child, args.agency, args.user, args.since, args.until)
    return print_report(args, lambda app, actor: app.access_reports.access_report(actor, which), report_csv)


def add_access_report(audit: argparse._SubParsersAction) -> None:
    report = audit.add_parser(
        "access-report", help="who saw what: every read, publication and break-the-glass, by child, agency or period"
    )
    add_report_arguments(report)
    report.add_argument("--child", type=UUID, help="a child's id")
    report.add_argument("--agency", help="an agency's code")
    report.add_argument("--user", help="a user of that agency")
    for flag, dest, bound in (("--from", "since", "inclusive"), ("--to", "until", "exclusive")):
        report.add_argument(flag, dest=dest, metavar="WHEN", type=moment,
                            help=f"ISO 8601 with a time zone (else HUB_TIMEZONE's), {bound}")
    report.set_defaults(run=_access_report)
