"""Small-cell suppression: no published count may let a reader single out a child.

A count below the floor is hidden (primary suppression). Where a breakdown's
total is published, one hidden cell could be recovered by subtracting the others
from it, so the next smallest cell is hidden too (secondary suppression).
"""

from __future__ import annotations


def suppressed(counts: dict[str, int], floor: int) -> dict[str, int | None]:
    """The cells of one breakdown, None where hidden; its total is assumed published."""
    shown: dict[str, int | None] = {label: (n if n >= floor else None) for label, n in counts.items()}
    hidden = [label for label, n in shown.items() if n is None]
    if len(hidden) == 1:
        others = sorted((n, label) for label, n in counts.items() if shown[label] is not None)
        if others:
            shown[others[0][1]] = None
    return shown
