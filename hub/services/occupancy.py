"""How many children a closed institution holds now: the open cases that place a child there (decision 0050).

Counted from the institution's own views: privacy.yaml's PLACED-HERE shows it each open case that places a child
in it, and only while it does, so its case views with itself as ``placement_institution`` are its occupants.
The views follow the log off the request path (0024), so a placement recorded a moment ago in another request
may not be counted yet: the count flags a full institution, it does not enforce a limit (0050).
"""

from __future__ import annotations

from uuid import UUID

from hub.projections.agency_views import AgencyViews

_MOST = 100_000  # far above any institution's places


class Occupancy:
    def __init__(self, views: AgencyViews) -> None:
        self.views = views

    def of(self, institution: str, besides: UUID | None = None) -> int:
        """The children placed in the institution now; ``besides``: a case not to count (the one being placed)."""
        self.views.current()
        rows = self.views.store.rows_of_agency(institution, "case", _MOST)
        return sum(1 for r in rows if r.body.get("placement_institution") == institution and r.record_id != str(besides))
