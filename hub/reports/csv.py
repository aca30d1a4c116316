"""Reports as CSV for spreadsheets: the access report, one line per row; the indicators, one line per cell."""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, fields
from datetime import datetime

from hub.reports.access_report import AccessReport, ReportRow
from hub.reports.indicators import IndicatorReport

COLUMNS = [f.name for f in fields(ReportRow)]


def report_csv(report: AccessReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([_cell(value) for value in astuple(row)] for row in report.rows)
    return out.getvalue()


def indicators_csv(report: IndicatorReport) -> str:
    """Suppressed counts read "<N" (N the minimum cell), as the JSON's null would not in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["indicator", "title", "breakdown", "label", "count", "from", "to", "as_of"])
    period = [report.period.start.isoformat(), report.period.end.isoformat(), report.as_of.isoformat()]
    for cell in report.cells:
        count = f"<{report.minimum_cell}" if cell.count is None else str(cell.count)
        writer.writerow([cell.indicator, cell.title, cell.breakdown, cell.label, count, *period])
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
