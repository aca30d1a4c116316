"""The API's documentation pages, /docs (Swagger UI) and /redoc (ReDoc), served wholly by the hub.

FastAPI's own pages load their scripts from a CDN and start them with an inline
script: a browser of a network that reaches no CDN shows nothing, and the
hub's Content-Security-Policy would refuse both. Here the scripts and styles
are the ones the fastapi-offline package ships, served under /docs/assets, and
the start-up code is a file of the hub's. Each page has a policy of its own for
what its script needs beyond the hub's policy (docs/decisions/0022).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
_CLOSED = "frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'"
POLICIES = {
    # Swagger UI shows its icons as data: URIs.
    "/docs": (
        f"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; {_CLOSED}"
    ),
    # ReDoc writes its styles into <style> elements and searches in a worker it makes from a blob: URL. Its
    # makers' logo, which it loads from their CDN, stays blocked: no page of the hub loads anything from elsewhere.
    "/redoc": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        f"connect-src 'self'; worker-src blob:; {_CLOSED}"
    ),
}

_SWAGGER_UI = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Referral Hub API</title>
<link rel="icon" href="{ASSETS}/favicon.png">
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/ui/static/swagger-ui-init.js"></script>
</body>
</html>
"""

_REDOC = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Referral Hub API</title>
<link rel="icon" href="{ASSETS}/favicon.png">
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src="{ASSETS}/redoc.standalone.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    """Adds the pages to an app made with ``docs_url=None, redoc_url=None``."""
    app.mount(ASSETS, StaticFiles(packages=[("fastapi_offline", "static")]), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(_SWAGGER_UI)

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(_REDOC)
