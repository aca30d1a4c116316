"""Reports that auditors open in a spreadsheet: CSV when asked by ``format=csv`` or ``Accept: text/csv``."""

from __future__ import annotations

from fastapi import Request, Response

CSV = "text/csv"


def wants_csv(request: Request, format: str | None) -> bool:
    return format == "csv" or (format is None and CSV in request.headers.get("accept", ""))


def csv_attachment(text: str, filename: str) -> Response:
    return Response(text, media_type=CSV, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
