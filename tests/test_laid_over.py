"""A command's answer and notices see the child's dossier with the command's own records laid over it: each in
place of its held version, the new ones of the child added after the held ones of their kind, in the overlay's
order. One walk of the overlay gives what a walk per kind of record gave (issue #13)."""

from __future__ import annotations

import random
from typing import Any
from uuid import UUID, uuid4

import pytest

from hub.aggregates.allegation import Allegation
from hub.aggregates.attachment import Attachment
from hub.aggregates.case import Case
from hub.aggregates.child import Child
from hub.aggregates.consent import Consent
from hub.aggregates.notice import Notice
from hub.aggregates.referral import Referral
from hub.aggregates.survivor_report import SurvivorReport
from hub.privacy.dossier import Dossier
from hub.projections.dossier_cache import _laid_over

KINDS = {"referrals": Referral, "cases": Case, "consents": Consent, "notices": Notice, "allegations": Allegation,
         "attachments": Attachment, "survivor_reports": SurvivorReport}


def _record(cls: type, child_id: UUID | None, record_id: UUID | None = None) -> Any:
    record = cls.__new__(cls)  # only what laying over reads: the id and the child
    record._id = record_id or uuid4()
    if cls is not Child:
        record.child_id = child_id
    return record


def _seven_walks(dossier: Dossier, overlay: list[Any]) -> Dossier:
    """How the overlay was laid before: a walk of it for each kind of record."""
    changed = {aggregate.id: aggregate for aggregate in overlay}
    if not changed:
        return dossier
    child = changed.pop(dossier.child.id, dossier.child)

    def merged(held: list[Any], kind: type) -> list[Any]:
        kept = [changed.pop(a.id, a) for a in held]
        added: list[Any] = [a for a in changed.values() if isinstance(a, kind)]
        return kept + [a for a in added if a.child_id == child.id]

    return Dossier(child, **{name: merged(getattr(dossier, name), kind) for name, kind in KINDS.items()},
                   glass_breaks=list(dossier.glass_breaks), escalations=list(dossier.escalations),
                   archival=dossier.archival)


def _as_ids(dossier: Dossier) -> dict[str, list[int]]:
    """Each list as the objects it holds (by identity: a held version and an overlaid one share their id)."""
    return {"child": [id(dossier.child)], **{name: [id(r) for r in getattr(dossier, name)] for name in KINDS}}


def test_an_overlaid_record_takes_its_held_version_s_place_and_new_ones_follow_the_held():
    child = _record(Child, None)
    first, second = _record(Referral, child.id), _record(Referral, child.id)
    dossier = Dossier(child, referrals=[first, second], notices=[_record(Notice, child.id)])
    second_now, new = _record(Referral, child.id, second.id), _record(Referral, child.id)
    elsewhere, child_now = _record(Referral, uuid4()), _record(Child, None, child.id)
    laid = _laid_over(dossier, [new, elsewhere, second_now, child_now])
    assert laid.child is child_now
    assert laid.referrals == [first, second_now, new]
    assert laid.notices == dossier.notices


@pytest.mark.parametrize("seed", range(200))
def test_the_same_dossier_as_a_walk_per_kind(seed: int):
    rng = random.Random(seed)
    child = _record(Child, None)
    other_child = uuid4()
    held = {name: [_record(kind, child.id) for _ in range(rng.randrange(4))] for name, kind in KINDS.items()}
    everything_held = [record for records in held.values() for record in records]
    if everything_held and rng.random() < 0.4:  # a record held under a kind not its own, or under two kinds
        stray = rng.choice(everything_held)
        if rng.random() < 0.5:
            next(records for records in held.values() if stray in records).remove(stray)
        held[rng.choice(list(KINDS))].insert(0, stray)
    dossier = Dossier(child, **held)
    overlay: list[Any] = []
    for _ in range(rng.randrange(10)):
        choice = rng.random()
        if choice < 0.3 and everything_held:
            again = rng.choice(everything_held)
            overlay.append(_record(type(again), again.child_id, again.id))  # a held record, changed
        elif choice < 0.4:
            overlay.append(_record(Child, None, child.id if rng.random() < 0.5 else None))
        elif choice < 0.5 and overlay:
            overlay.append(rng.choice(overlay))  # the same record twice
        else:
            overlay.append(_record(rng.choice(list(KINDS.values())), rng.choice([child.id, other_child])))
    assert _as_ids(_laid_over(dossier, list(overlay))) == _as_ids(_seven_walks(dossier, list(overlay)))
