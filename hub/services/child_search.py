"""Finding a child by IIN (decision 0051).

The keyed index (hub/matching/index.py) names the records an IIN was given for; the caller is shown those of
them its own view shows with that IIN (the policy gives the IIN to fewer bodies than the name). Any other
answer - no record, a record the caller may not see, or may see without its IIN - is the empty answer an IIN
nobody has gets: a search never tells a body that a child it may not know exists, nor confirms an IIN to it.
"""

from __future__ import annotations

from typing import Any

from hub.actor import Actor
from hub.projections.agency_views import AgencyViews
from hub.services.reads import ReadService


def iin_of(child: dict[str, Any]) -> str | None:
    identity = child.get("identity")
    number = identity.get("iin") if isinstance(identity, dict) else None
    return number if isinstance(number, str) else None


class ChildSearch:
    def __init__(self, views: AgencyViews, reads: ReadService) -> None:
        self.views = views
        self.reads = reads

    def by_iin(self, actor: Actor, iin: str) -> list[dict[str, Any]]:
        """The children with this IIN the caller may see, with it; each shown recorded as read (purpose search)."""
        self.views.current()
        index = self.views.child_index
        return self.reads.found(actor, "child", index.holding(index.iin_hash(iin)), lambda c: iin_of(c) == iin)
