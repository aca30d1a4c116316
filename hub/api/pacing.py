"""An answer that must not be faster for one outcome than another takes at least a floor of time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


@asynccontextmanager
async def answered_no_sooner_than(seconds: float) -> AsyncIterator[None]:
    """Waits out the rest of ``seconds`` after the block, whether it returned or raised; the event loop
    serves others meanwhile."""
    started = time.monotonic()
    try:
        yield
    finally:
        await asyncio.sleep(max(0.0, seconds - (time.monotonic() - started)))
