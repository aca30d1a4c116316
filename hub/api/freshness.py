"""Reads are served from the views as the projector has taken them; a reader who has just written can
ask for at least its own write (``Hub-Min-Position``, the ``Hub-Position`` its command answered with).

The read then waits for the views to reach that position, a bounded time (``HUB_READ_WAIT_MS``,
default 2000), never running the projection itself; if they have not reached it by then, it is served
anyway with ``Hub-Views-Behind`` saying by how many events - a 404 too, since a record the reader has just
written may not be in the views yet. A reader who asks nothing waits for nothing.
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import Depends, Header, Request, Response
from starlette.concurrency import run_in_threadpool

from hub.api.deps import hub_of
from hub.api.replies import MIN_POSITION
from hub.errors import InvalidInput

WAIT_ENV = "HUB_READ_WAIT_MS"
DEFAULT_WAIT_MS = 2000
POLL_S = 0.01
VIEWS_POSITION = "Hub-Views-Position"
VIEWS_BEHIND = "Hub-Views-Behind"


async def views_reached(
    request: Request,
    response: Response,
    min_position: Annotated[
        str | None,
        Header(alias=MIN_POSITION, description="serve this read from views that reached this log position (a "
               "command's Hub-Position); waits a bounded time, then says how far behind they are"),
    ] = None,
) -> None:
    if min_position is None:
        return
    if not min_position.isdigit():
        raise InvalidInput(MIN_POSITION, "a log position is a whole number, as a command's Hub-Position gives it")
    wanted = int(min_position)
    hub = hub_of(request)
    if hub.views.inline:
        reached = await run_in_threadpool(hub.views.catch_up)
    else:
        wait_s = int(hub.store.env.get(WAIT_ENV) or DEFAULT_WAIT_MS) / 1000
        deadline = time.monotonic() + wait_s
        reached = await run_in_threadpool(hub.views.store.position)
        while reached < wanted and time.monotonic() < deadline:
            await asyncio.sleep(POLL_S)
            reached = await run_in_threadpool(hub.views.store.position)
    views = {VIEWS_POSITION: str(reached)}
    if reached < wanted:
        views[VIEWS_BEHIND] = str(wanted - reached)
    response.headers.update(views)
    request.state.views_headers = views  # for a problem answer too: "not found" may only mean "not yet"


ViewsReached = Depends(views_reached)
