"""The access report as CSV, one line per row, for auditors' spreadsheets."""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, fields
from datetime import datetime

from hub.reports.access_report import AccessReport, ReportRow

COLUMNS = [f.name for f in fields(ReportRow)]


def report_csv(report: AccessReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([_cell(value) for value in astuple(row)] for row in report.rows)
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value)  # field paths and rule ids hold no spaces
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
