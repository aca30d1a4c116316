"""Structured logs: one JSON object a line, with the request id of the request being answered.

No personal data: a line holds the logger's own message (the hub's messages name ids, counts and
positions, never a record's values), a request's method, route template (not its path, which may carry
ids and a query) and status; of an exception only its type and where it was raised, never its message,
which may quote what a caller sent. ``HUB_LOG_FORMAT=text`` gives plain lines for a terminal.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
FORMAT_ENV, LEVEL_ENV = "HUB_LOG_FORMAT", "HUB_LOG_LEVEL"
FIELDS = ("method", "route", "status", "duration_ms", "kind")  # extras a line may carry
TEXT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        request_id = REQUEST_ID.get()
        if request_id:
            entry["request_id"] = request_id
        entry.update({k: getattr(record, k) for k in FIELDS if hasattr(record, k)})
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            entry["at"] = [f"{f.filename}:{f.lineno} {f.name}" for f in traceback.extract_tb(record.exc_info[2])][-8:]
        return json.dumps(entry, ensure_ascii=False, default=str)


def formatter() -> logging.Formatter:
    return logging.Formatter(TEXT) if os.environ.get(FORMAT_ENV, "json") == "text" else JsonFormatter()


def configure(default_level: str = "INFO", stream: IO[str] | None = None) -> None:
    """The root logger at ``HUB_LOG_LEVEL`` (else ``default_level``), writing to ``stream`` (stderr) in the
    configured format - unless a handler is there already (a test runner's, a program embedding the hub)."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(formatter())
        root.addHandler(handler)
    root.setLevel((os.environ.get(LEVEL_ENV) or default_level).upper())


def uvicorn_config() -> dict[str, Any]:
    """uvicorn's loggers in the same format; its access log is replaced by the hub's (hub/observability/requests.py),
    which names the route, not the path."""
    chosen = {"()": "logging.Formatter", "fmt": TEXT} if os.environ.get(FORMAT_ENV, "json") == "text" else {
        "()": "hub.observability.logs.JsonFormatter"
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"hub": chosen},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "hub", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": os.environ.get(LEVEL_ENV, "INFO").upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
    }
