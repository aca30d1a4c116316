"""Finding a child or a case: the agency's cases by a child's name in any script, a case number or an IIN, filtered by
state, social worker, region and deadline, sorted; each case shown is a read recorded, nothing else is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from hub import clock
from hub.aggregates.case_vocabulary import CaseState
from hub.api.deps import ChildFinder, Inbox, Reads
from hub.geography.units import COUNTRY, geography
from hub.inbox.item import NO_DEADLINE, utc_iso
from hub.web import words
from hub.web.finding import Filters, sounds_like
from hub.web.guard import SignedIn, back, check
from hub.web.rendering import language, page

router = APIRouter(prefix="/ui", include_in_schema=False)
LIMIT = 2000  # the newest records of the agency a search looks through
# Each sort's key and whether it runs newest first.
SORTS: dict[str, tuple[Callable[[dict[str, Any]], str], bool]] = {
    "due": (lambda row: row["due_at"], False),
    "updated": (lambda row: row["case"].get("updated_at", ""), True),
    "number": (lambda row: row["case"].get("case_number", ""), False),
    "name": (lambda row: row["name"].lower(), False),
}


def _region(child: dict[str, Any]) -> str | None:
    identity = child.get("identity")
    city = identity.get("city") if isinstance(identity, dict) else None
    return geography().region_of(city) if isinstance(city, str) else None


def _wanted(filters: Filters, case: dict[str, Any]) -> bool:
    if filters.case_number() and case.get("case_number", "").lower() != filters.q.strip().lower():
        return False
    return (not filters.state or case.get("state") == filters.state) and \
        (not filters.social_worker or case.get("social_worker") == filters.social_worker)


def _child_wanted(filters: Filters, child: dict[str, Any]) -> bool:
    by_name = filters.case_number() or filters.iin() or not filters.q.strip() or sounds_like(filters.q, child)
    return by_name and (not filters.region or _region(child) == filters.region)


def _due(filters: Filters, due_at: str, due_soon_at: str, now: str) -> bool:
    """The clock's own status decides (hub/deadlines/clock.py): due soon in the last part of its span."""
    return {"overdue": due_at < now, "due_soon": due_soon_at <= now}.get(filters.due, True)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, caller: SignedIn, reads: Reads, inbox: Inbox, finder: ChildFinder,
           filters: Filters = Depends()) -> Response:
    if caller is None:
        return back("/ui/login")
    check(caller, request, None, "case.read")
    searched = any(asdict(filters)[k] for k in ("q", "state", "social_worker", "region", "due"))
    rows: list[dict[str, Any]] = []
    if searched:
        rows = _found(caller.actor, reads, inbox, finder, filters)
    lang = language(request)
    regions = sorted(((u.code, u.name(lang)) for u in geography().children(COUNTRY)), key=lambda pair: pair[1])
    return page(request, "search.html", caller, filters=filters, rows=rows, searched=searched, regions=regions,
                states=[str(s) for s in CaseState], sorts=list(SORTS))


def _clocks(actor: Any, inbox: Any) -> dict[str, Any]:
    """Every open case's most urgent clock, from the inbox, page by page."""
    found: dict[str, Any] = {}
    cursor = None
    while True:
        listing = inbox.inbox(actor, "cases", "due_at", False, 200, cursor)
        found.update((item.item_id, item) for item in listing.items)
        cursor = listing.next_cursor
        if cursor is None:
            return found


def _children(actor: Any, reads: Any, finder: Any, filters: Filters) -> list[dict[str, Any]]:
    """The children asked for: by IIN through the keyed index (decision 0051), else among the agency's newest."""
    if filters.iin():
        return [c for c in finder.by_iin(actor, filters.q.strip()) if _child_wanted(filters, c)]
    return reads.newest(actor, "child", LIMIT, lambda c: _child_wanted(filters, c), "search")


def _found(actor: Any, reads: Any, inbox: Any, finder: Any, filters: Filters) -> list[dict[str, Any]]:
    children = {c["id"]: c for c in _children(actor, reads, finder, filters)}
    clocks = _clocks(actor, inbox)
    now = clock.now()
    moment = utc_iso(now)

    def wanted(case: dict[str, Any]) -> bool:
        held = clocks.get(str(case.get("id")))
        due_at, due_soon_at = (held.due_at, held.due_soon_at) if held is not None else (NO_DEADLINE, NO_DEADLINE)
        return case.get("child_id") in children and _wanted(filters, case) and _due(filters, due_at, due_soon_at, moment)

    cases = reads.newest(actor, "case", LIMIT, wanted, "search")
    rows = [
        {"case": case, "name": words.child_name(children[case["child_id"]]) or "—", "region": _region(children[case["child_id"]]),
         "due_at": clocks[case["id"]].due_at if case["id"] in clocks else NO_DEADLINE,
         "deadline": clocks[case["id"]].deadline_title if case["id"] in clocks else None}
        for case in cases
    ]
    key, newest_first = SORTS.get(filters.sort, SORTS["due"])
    return sorted(rows, key=key, reverse=newest_first)
