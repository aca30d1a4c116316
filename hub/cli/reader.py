"""Reports at a terminal run as their reader, never as the operator: who may run one, and the record
of having run it, are the reader's, exactly as over the API."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from hub.errors import Unauthenticated

TOKEN_ENV = "HUB_TOKEN"


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """Whose report it is, and how to print it."""
    parser.add_argument("--token", default=os.environ.get(TOKEN_ENV),
                        help=f"the reader's token (default: {TOKEN_ENV}, which keeps it out of the process list)")
    parser.add_argument("--csv", action="store_true", help="print CSV instead of JSON")


def reader(app: Any, token: str | None) -> Any:
    found = app.tokens.authenticate(token or "")
    if found is None:
        raise Unauthenticated(f"give a valid token with --token or {TOKEN_ENV}")
    return found[0]


def print_report(args: argparse.Namespace, make: Callable[[Any, Any], Any], to_csv: Callable[[Any], str]) -> int:
    """Makes the report as the holder of ``--token`` and prints it as JSON, or CSV with ``--csv``."""
    from hub.bootstrap import bootstrap

    app = bootstrap()
    try:
        report = make(app, reader(app, args.token))
    finally:
        app.close()
    sys.stdout.write(to_csv(report) if args.csv else json.dumps(asdict(report), default=str, indent=2) + "\n")
    return 0
