"""JSON bodies must be UTF-8 (RFC 8259 §8.1), checked as they arrive.

Python's json module decodes bytes with "surrogatepass", so a surrogate encoded
as if it were a character (ED A0 80), which no UTF-8 decoder accepts, would
reach the models as a lone surrogate. Refused here instead, with
:class:`NotUtf8` where the route reads the body: 400 problem+json.
"""

from __future__ import annotations

import codecs

from fastapi import HTTPException
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class NotUtf8(HTTPException):
    # FastAPI passes its own HTTPException through while reading a body; any other error becomes a bare 400.
    def __init__(self) -> None:
        super().__init__(400, "the request body is not UTF-8")


def _is_json(content_type: str) -> bool:
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


class Utf8Bodies:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_json(Headers(scope=scope).get("content-type", "")):
            await self.app(scope, receive, send)
            return
        decoder = codecs.getincrementaldecoder("utf-8")()

        async def checked() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                try:
                    decoder.decode(message.get("body", b""), final=not message.get("more_body", False))
                except UnicodeDecodeError:
                    raise NotUtf8() from None
            return message

        await self.app(scope, checked, send)
