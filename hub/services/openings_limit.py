"""How many break-the-glass openings one user may ask for in a window (privacy.yaml ``break_glass.per_user``).

Counted by the ``limits`` library in the store the API's rate limits use (``HUB_RATE_LIMIT_STORAGE``:
each process's memory by default, a Redis or memcached URI to share the counts between processes).
Every request counts, granted or refused, so the count says nothing about which records exist.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

from limits import parse
from limits.strategies import MovingWindowRateLimiter

from hub.actor import Actor
from hub.limits_storage import limits_storage

NAMESPACE = "break-glass"


class OpeningsLimit:
    def __init__(self, env: Mapping[str, str]) -> None:
        self.limiter = MovingWindowRateLimiter(limits_storage(env))

    def allows(self, actor: Actor, per_user: str) -> bool:
        """Counts this request; False once the user asked for more than ``per_user`` (e.g. "3/hour")."""
        return self.limiter.hit(parse(per_user), NAMESPACE, actor.agency, actor.user)

    def retry_after(self, actor: Actor, per_user: str) -> int:
        window = self.limiter.get_window_stats(parse(per_user), NAMESPACE, actor.agency, actor.user)
        return max(1, math.ceil(window.reset_time - time.time()))
