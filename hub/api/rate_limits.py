"""Rate limits per credential and per client address, counted by the ``limits`` library (docs/decisions/0022).

Checked before anything else reads the request: a request over either limit is
answered 429 problem+json with ``Retry-After``, its body unread, and recorded
as a refusal (hub/api/refusals.py collapses a caller's repeats to one row a
minute). The credential's limit applies to whatever token was presented, valid
or not, without looking it up; the address's limit is all that bounds requests
without one. Counts live in ``HUB_RATE_LIMIT_STORAGE``: the process's memory by
default, so each API process counts on its own; a Redis or memcached URI lets
every process share them. If that store cannot be reached, requests are served
unlimited and a warning is logged for each.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi.routing import RouteContext, iter_route_contexts
from limits import RateLimitItem, parse_many
from limits.aio.strategies import STRATEGIES, RateLimiter
from starlette.requests import HTTPConnection, Request
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from hub.api import problems
from hub.api.credential import presented_credential
from hub.limits_storage import STORAGE_ENV, limits_storage

PER_TOKEN_ENV = "HUB_RATE_LIMIT_PER_TOKEN"
PER_ADDRESS_ENV = "HUB_RATE_LIMIT_PER_ADDRESS"
STRATEGY_ENV = "HUB_RATE_LIMIT_STRATEGY"
# An agency's system may send a backlog at once: 600 in a minute, then 10 a second; a person clicking
# through pages makes tens a minute. An address may be an office of many people behind one NAT (0022).
DEFAULT_PER_TOKEN = "600/minute"
DEFAULT_PER_ADDRESS = "3000/minute"
DEFAULT_STRATEGY = "moving-window"  # exact; memcached offers only sliding-window-counter and fixed-window
OFF = "off"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Exceeded:
    limit: RateLimitItem
    counted_by: str  # "token" or "address"
    retry_after: int  # whole seconds until the limit lets one more request through


class RateLimits:
    def __init__(self, limiter: RateLimiter, per_token: list[RateLimitItem], per_address: list[RateLimitItem]) -> None:
        self.limiter = limiter
        self.per_token = per_token
        self.per_address = per_address

    async def exceeded(self, request: HTTPConnection) -> Exceeded | None:
        """Counts the request against its address's and its credential's limits; the first it exceeds."""
        counters = [("address", limit, request.client.host if request.client else "") for limit in self.per_address]
        credential = presented_credential(request)
        if credential:
            # The token's id, not the token: the counts may sit in a shared store.
            counters += [("token", limit, str(credential.key)) for limit in self.per_token]
        for counted_by, limit, key in counters:
            if not await self.limiter.hit(limit, counted_by, key):
                window = await self.limiter.get_window_stats(limit, counted_by, key)
                return Exceeded(limit, counted_by, max(1, math.ceil(window.reset_time - time.time())))
        return None


def rate_limits(env: Mapping[str, str]) -> RateLimits:
    strategy = env.get(STRATEGY_ENV) or DEFAULT_STRATEGY
    if strategy not in STRATEGIES:
        raise ValueError(f"{STRATEGY_ENV} must be one of {sorted(STRATEGIES)}, not {strategy!r}")
    storage = limits_storage(env, asynchronous=True)  # the checks run on the event loop
    try:
        # Each of limits' strategies is concrete; its table is typed with their abstract base.
        make: Callable[[Any], RateLimiter] = STRATEGIES[strategy]
        limiter = make(storage)
    except NotImplementedError:
        raise ValueError(f"{STRATEGY_ENV}: {strategy} is not available with the storage {STORAGE_ENV} names") from None
    return RateLimits(
        limiter, _limits(env, PER_TOKEN_ENV, DEFAULT_PER_TOKEN), _limits(env, PER_ADDRESS_ENV, DEFAULT_PER_ADDRESS)
    )


def _limits(env: Mapping[str, str], name: str, default: str) -> list[RateLimitItem]:
    value = env.get(name) or default
    if value.strip().lower() == OFF:
        return []
    try:
        return parse_many(value)
    except ValueError:
        example = "'600/minute' or '10/second;600/minute'"
        raise ValueError(f"{name} must be limits like {example}, or off, not {value!r}") from None


class RateLimited:
    """Answers a request over a limit with 429 before the application sees it."""

    def __init__(self, app: ASGIApp, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            exceeded = await self.limits.exceeded(HTTPConnection(scope))
        except Exception:  # the counts' store is away: serving unlimited beats refusing everyone
            log.warning("could not count a request against the rate limits", exc_info=True)
            exceeded = None
        if exceeded is None:
            await self.app(scope, receive, send)
            return
        # The refusal is recorded under the route's template, as every other refusal is.
        request = Request({**scope, "route": _route(scope)}, receive)
        detail = (
            f"over the limit of {exceeded.limit!r} requests for this {exceeded.counted_by}:"
            f" send it again in {exceeded.retry_after} seconds"
        )
        response = await problems.too_many_requests(request, exceeded.retry_after, detail)
        await response(scope, receive, send)


def _route(scope: Scope) -> RouteContext | None:
    """The route the router would choose, which the router has not chosen yet."""
    partial = None
    for route in iter_route_contexts(scope["app"].routes):
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return route
        partial = partial or (route if match is Match.PARTIAL else None)
    return partial

