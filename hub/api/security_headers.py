"""Security headers on every answer of the API and the managers' pages (docs/decisions/0022).

- ``Content-Security-Policy``: scripts, styles and everything else only from
  the hub itself, no inline script or style, never framed, no plugins, no
  ``<base>``, forms post only to the hub. A page that needs more (the API's
  documentation pages) is given its own policy by path.
- ``Cache-Control: no-store`` on everything but static assets: an answer may
  carry a child's personal data, and no browser or proxy cache may keep it.
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` (a URL
  holds record ids).
- ``Strict-Transport-Security`` when the request came over TLS: its scheme is
  https, as uvicorn reports it, trusting ``X-Forwarded-Proto`` from the
  proxies in ``HUB_FORWARDED_ALLOW_IPS`` only.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
STATIC = ("/ui/static/", "/docs/assets/")
HSTS = "max-age=31536000"  # a year; not includeSubDomains: the hub's name may share a domain with others

_ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


class SecurityHeaders:
    def __init__(self, app: ASGIApp, page_policies: Mapping[str, str]) -> None:
        self.app = app
        self.page_policies = page_policies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = self._headers(scope["path"], scope["scheme"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in added.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _headers(self, path: str, scheme: str) -> dict[str, str]:
        headers = {**_ALWAYS, "Content-Security-Policy": self.page_policies.get(path, POLICY)}
        if not path.startswith(STATIC):
            headers["Cache-Control"] = "no-store"
        if scheme == "https":
            headers["Strict-Transport-Security"] = HSTS
        return headers
