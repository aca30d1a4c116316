"""A copy of an aggregate (hub/aggregates/copying.py): what cannot change is shared, the rest is copied."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from uuid import uuid4

from hub.actor import Actor
from hub.aggregates.copying import CheapCopy, Ids


class Held(CheapCopy):
    def __init__(self) -> None:
        self.actor = Actor("cam-almaty", "inspector", "u1")
        self.id, self.at, self.name = uuid4(), datetime(2026, 3, 1, tzinfo=UTC), "Aigerim"
        self.ids = Ids([uuid4()])
        self.identity = {"given_name": "Aigerim", "languages": ["kazakh"]}
        self.steps = [{"step": "met"}]
        self.tags = {"a"}


def test_a_copy_shares_what_cannot_change_and_copies_what_can() -> None:
    held = Held()
    clone = copy.deepcopy(held)
    assert type(clone) is Held and vars(clone) == vars(held)
    for name in ("actor", "id", "at", "name", "ids"):
        assert getattr(clone, name) is getattr(held, name), name
    clone.identity["languages"].append("russian")
    clone.steps[0]["step"] = "closed"
    clone.tags.add("b")
    assert held.identity == {"given_name": "Aigerim", "languages": ["kazakh"]}
    assert held.steps == [{"step": "met"}] and held.tags == {"a"}
