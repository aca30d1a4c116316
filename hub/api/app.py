"""Builds the FastAPI application around the services of one hub (hub/bootstrap.py)."""

from __future__ import annotations

import os
import threading
from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.routing import BaseRoute

from hub.api import docs, problems
from hub.api.body_limit import BodyLimit, body_limit
from hub.api.freshness import ViewsReached
from hub.api.rate_limits import RateLimited, rate_limits
from hub.api.refusals import RefusalRecorder, unauthenticated_limit
from hub.api.routes import (
    adapters,
    agencies,
    agency_keys,
    allegations,
    attachments,
    audit,
    audit_replay,
    cases,
    children,
    consents,
    inbox,
    indicators,
    involvements,
    notices,
    operations,
    places,
    records,
    referrals,
    sign_in_addresses,
    staff_file,
    survivors,
    teams,
    tokens,
    visits,
)
from hub.api.security_headers import SecurityHeaders
from hub.api.utf8_bodies import Utf8Bodies
from hub.bootstrap import Hub
from hub.kafka.settings import KafkaSettings
from hub.observability.requests import RequestLog
from hub.web import case_file_page, pages
from hub.web.sessions import SessionLimits, Sessions


def create_app(hub: Hub) -> FastAPI:
    app = FastAPI(
        title="Referral Hub",
        version="1.0",
        description=(
            "Multi-agency referral hub for child protection in Kazakhstan. Every request is authenticated "
            "with a bearer token naming an agency, a role and a user; errors are RFC 9457 problem+json."
        ),
        responses=problems.problem_responses(429),  # any request may be over a rate limit
        docs_url=None,  # served by hub.api.docs, without a CDN
        redoc_url=None,
    )
    app.state.hub = hub
    app.state.settings = {**os.environ, **hub.store.env}
    configured = app.state.settings.get(operations.BROKER_ENV)
    app.state.kafka = KafkaSettings.from_env(app.state.settings) if configured else None  # for /metrics' lags
    app.state.sessions = Sessions(hub.store, hub.tokens, SessionLimits.from_env(hub.store.env))  # the pages' (0027)
    app.state.refusals = RefusalRecorder(hub.store, hub.tokens, app.state.sessions, unauthenticated_limit(hub.store.env))
    app.add_middleware(Utf8Bodies)
    # outside Utf8Bodies: size before encoding; a file's upload up to the files' own limit (decision 0047)
    largest = hub.attachments.settings.max_bytes
    uploads = ((attachments.UPLOAD_PATH, largest, "the file (HUB_ATTACHMENT_MAX_BYTES)"),
               (case_file_page.UPLOAD_PATH, largest + case_file_page.FORM_MARGIN, "the form with its file"))
    app.add_middleware(BodyLimit, limit=body_limit(hub.store.env), wider=uploads)
    app.add_middleware(RateLimited, limits=rate_limits(hub.store.env))  # before any of the request is read
    app.add_middleware(SecurityHeaders, page_policies=docs.POLICIES)  # on every answer, 429s too
    # outermost: every answer has a request id, a log line and its metrics
    app.add_middleware(RequestLog, routes=app.router.routes)
    problems.install(app)
    _include_routers(app)
    app.mount("/ui/static", StaticFiles(directory=str(resources.files("hub.web").joinpath("static"))), name="static")
    docs.install(app)
    return app


# The routers as the first app of this process included them, for every later app: the routing table is the
# same for every app, and FastAPI builds each route's handler (its dependencies and body models) lazily for
# each inclusion, 0.4-0.6 s of CPU at an app's first request. A process making many apps (the test suite)
# builds it once. Their requests reach ``request.app``, their own; only ``app.dependency_overrides`` would be
# the first app's, and the hub overrides none.
_INCLUDED: list[BaseRoute] = []
_INCLUDING = threading.Lock()


def _include_routers(app: FastAPI) -> None:
    with _INCLUDING:
        if _INCLUDED:
            app.router.routes.extend(_INCLUDED)
            app.router._mark_routes_changed()
            return
        before = len(app.router.routes)
        for module in (
            referrals, cases, children, consents, notices, allegations, records, indicators, inbox, agencies,
            agency_keys, tokens, sign_in_addresses, adapters, audit, audit_replay, places, attachments, visits,
            staff_file, survivors, teams, involvements,
        ):
            app.include_router(module.router, dependencies=[ViewsReached])
        app.include_router(operations.router)
        app.include_router(pages.router)
        _INCLUDED.extend(app.router.routes[before:])
