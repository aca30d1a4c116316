"""A limit on the size of request bodies, enforced as the body is received and before any of it is parsed.

A body declared larger than the limit is refused before a byte of it is read;
a body sent in chunks without a length is refused as soon as the bytes received
pass the limit. Either way the route sees :class:`BodyTooLarge` where it would
have read the body, and answers 413 problem+json (hub/api/problems.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from fastapi import HTTPException
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LIMIT_ENV = "HUB_MAX_BODY_BYTES"
DEFAULT_LIMIT = 1024 * 1024  # the largest legitimate body, an agency message about several children, is far smaller


class BodyTooLarge(HTTPException):
    # FastAPI passes its own HTTPException through while reading a body; any other error becomes a bare 400.
    def __init__(self, limit: int, what: str = "the request body") -> None:
        super().__init__(413, f"{what} is larger than {limit} bytes")
        self.limit = limit


def body_limit(env: Mapping[str, str]) -> int:
    value = env.get(LIMIT_ENV) or str(DEFAULT_LIMIT)
    if not value.isdigit():
        raise ValueError(f"{LIMIT_ENV} must be a whole number of bytes, not {value!r}")
    return int(value)


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int, wider: tuple[tuple[re.Pattern[str], int, str], ...] = ()) -> None:
        """``wider``: paths whose bodies may be larger (a file's upload), each with its own limit and what the
        body is, for the refusal to name."""
        self.app = app
        self.limit = limit
        self.wider = wider

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        limit, what = next(
            ((wider, what) for path, wider, what in self.wider if path.match(scope["path"])), (self.limit, "the request body")
        )
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared.isdigit() and int(declared) > limit:
                raise BodyTooLarge(limit, what)
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit, what)
            return message

        await self.app(scope, limited, send)
