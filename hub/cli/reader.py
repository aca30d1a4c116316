"""Reports at a terminal run as their reader, never as the operator: who may run one, and the record
of having run it, are the reader's, exactly as over the API."""

from __future__ import annotations

import argparse
import os
from typing import Any

from hub.errors import Unauthenticated

TOKEN_ENV = "HUB_TOKEN"


def add_token_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--token", default=os.environ.get(TOKEN_ENV),
                        help=f"the reader's token (default: {TOKEN_ENV}, which keeps it out of the process list)")


def reader(app: Any, token: str | None) -> Any:
    found = app.authenticate(token or "")
    if found is None:
        raise Unauthenticated(f"give a valid token with --token or {TOKEN_ENV}")
    return found[0]
