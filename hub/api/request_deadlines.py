"""Deadlines for a request to arrive, so that requests trickling in cannot hold the server (docs/decisions/0022).

uvicorn closes a connection left idle after an answer, but waits without end
for one that never finishes sending a request: each such connection keeps a
descriptor and its buffers, and enough of them (a "slowloris") stop the server
from accepting any other. Here a connection is closed when

- a request's head (request line and headers) has not all arrived
  ``HUB_HEADER_TIMEOUT_S`` after the connection opened or its last answer went
  out, however slowly its bytes keep coming;
- a request's body has not all arrived ``HUB_BODY_TIMEOUT_S`` after its head.

The deadlines are kept in uvicorn's h11 protocol, the one layer that sees bytes
arrive before a request exists: it is a subclass that watches h11's state of
the client's side after every batch of bytes, and closes the transport when the
state has not moved on in time. The application, if it was reading the body,
then sees the client disconnect.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT_ENV = "HUB_HEADER_TIMEOUT_S"
BODY_TIMEOUT_ENV = "HUB_BODY_TIMEOUT_S"
DEFAULT_HEADER_TIMEOUT = 10.0  # a head is a few kilobytes: seconds, even on a poor line
DEFAULT_BODY_TIMEOUT = 60.0  # the largest body allowed (HUB_MAX_BODY_BYTES, 1 MiB) at 17 KiB/s


@dataclass(frozen=True)
class RequestDeadlines:
    head: float
    body: float


def request_deadlines(env: Mapping[str, str]) -> RequestDeadlines:
    return RequestDeadlines(
        _seconds(env, HEADER_TIMEOUT_ENV, DEFAULT_HEADER_TIMEOUT), _seconds(env, BODY_TIMEOUT_ENV, DEFAULT_BODY_TIMEOUT)
    )


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name) or str(default)
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise ValueError(f"{name} must be a number of seconds above 0, not {value!r}")
    return seconds


class DeadlinedConfig(uvicorn.Config):
    """uvicorn's configuration, serving HTTP/1.1 with :class:`DeadlinedH11Protocol`."""

    def __init__(self, app: Any, deadlines: RequestDeadlines, **settings: Any) -> None:
        super().__init__(app, http=DeadlinedH11Protocol, **settings)
        self.deadlines = deadlines


class DeadlinedH11Protocol(H11Protocol):
    def __init__(self, config: DeadlinedConfig, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.deadlines = config.deadlines
        self._awaited: str | None = None  # "head" or "body": what the running deadline is for
        self._deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._watch()

    def handle_events(self) -> None:
        # Runs after bytes arrive and after an answer went out (uvicorn then starts on the next request).
        super().handle_events()
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._await(None)
        super().connection_lost(exc)

    def _watch(self) -> None:
        state = self.conn.their_state
        awaited = "head" if state is h11.IDLE else "body" if state is h11.SEND_BODY else None
        if self.transport.is_closing():
            awaited = None
        if awaited != self._awaited:
            self._await(awaited)

    def _await(self, awaited: str | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._awaited = awaited
        seconds = self.deadlines.head if awaited == "head" else self.deadlines.body
        self._deadline = self.loop.call_later(seconds, self._expire) if awaited else None

    def _expire(self) -> None:
        self.logger.info("closing the connection of %s: its request's %s did not arrive in time",
                         f"{self.client[0]}:{self.client[1]}" if self.client else "a client", self._awaited)
        self._deadline = None
        self.transport.close()
