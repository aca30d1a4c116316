"""When faults strike: random moments of a stream, drawn from a seed that the test prints, so that a
failing run can be repeated (``HUB_FAULT_SEED=<seed>``)."""

from __future__ import annotations

import os
import random
import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class Kill:
    at: int  # strikes once the log holds this many referrals
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"at {self.at} referrals: {', '.join(self.targets)}"


def fault_seed() -> int:
    chosen = os.environ.get("HUB_FAULT_SEED", "").strip()
    return int(chosen) if chosen else secrets.randbelow(2**32)


def moments(rng: random.Random, total: int, count: int) -> list[int]:
    """``count`` points of a stream of ``total`` referrals, neither at its very start nor after its end."""
    points = range(max(total // 20, 1), max(total * 9 // 10, 2))
    return sorted(rng.sample(points, min(count, len(points))))


def kill_plan(seed: int, total: int, kills: int, processes: list[str]) -> list[Kill]:
    """``kills`` moments, each killing a random non-empty set of the processes."""
    rng = random.Random(seed)
    return [
        Kill(at, tuple(sorted(rng.sample(processes, rng.randint(1, len(processes))))))
        for at in moments(rng, total, kills)
    ]
