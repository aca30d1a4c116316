"""Records kept as two sides, one in each of two children's files, judged together when read.

A family link (decision 0041) and the involvement of two minors (0050) tie two children's files without merging
them: each side is its own child's record, and a body is shown the pair only where the policy shows it both
sides, each judged on its own child's dossier; it is shown the fields it is shown on both. A body that sees one
child and not the other learns nothing of the other, not even that a pair exists. Pairs are judged when read,
not projected into the views: their visibility depends on two dossiers, and a view is kept per dossier.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.access_record import AccessOutcome, AccessRecord
from hub.crypto.keys import ChildErased
from hub.privacy.dossier import AgencyRef, RecordRef
from hub.privacy.engine import Disclosure
from hub.projections.agency_views import AgencyViews, view_row
from hub.projections.dossier_cache import DossierCache
from hub.services.aggregates import Aggregates
from hub.services.reads import ReadService, shown


class Paired(Protocol):
    @property
    def id(self) -> UUID: ...

    @property
    def child_id(self) -> UUID: ...

    @property
    def counterpart_id(self) -> UUID: ...


S = TypeVar("S", bound=Paired)


class TwoFiles(Generic[S]):
    """Judges one kind of two-sided record (``record_type`` in privacy.yaml, built by ``record``)."""

    def __init__(
        self, record_type: str, side_type: type[S], record: Callable[[S], dict[str, Any]], aggregates: Aggregates,
        reads: ReadService, views: AgencyViews, dossiers: DossierCache,
    ) -> None:
        self.record_type = record_type
        self.side_type = side_type
        self.record = record
        self.aggregates = aggregates
        self.reads = reads
        self.views = views
        self.dossiers = dossiers

    def shown_all(self, actor: Actor, sides: list[S]) -> list[dict[str, Any]]:
        """The sides the caller is shown both halves of; each shown, recorded as read in one transaction."""
        judged = [found for found in (self.judged(actor, side) for side in sides) if found is not None]
        self.aggregates.save(*(read for _, read in judged))
        return [record for record, _ in judged]

    def judged(self, actor: Actor, here: S) -> tuple[dict[str, Any], AccessRecord] | None:
        """The fields of the pair the caller is shown on both sides, and the record of that read; None if a side
        is hidden."""
        agency, now = self.reads.agency_ref(actor), clock.now()
        try:
            there = self.aggregates.find(here.counterpart_id)
        except ChildErased:
            return None  # the other child was erased: its side reads no more
        if not isinstance(there, self.side_type):
            return None
        seen_here = self._side(actor, agency, here, now)
        seen_there = self._side(actor, agency, there, now)
        if seen_here is None or seen_there is None:
            return None
        (visible, rules), (other_visible, _) = seen_here, seen_there
        both = {name: value for name, value in visible.items() if name in other_visible}
        fields, shown_by = shown(both, rules)
        return both, AccessRecord(
            actor=actor, child_id=here.child_id, record_type=self.record_type, record_id=here.id, fields=fields,
            rules=sorted(set(shown_by)), outcome=str(AccessOutcome.GRANTED), purpose="read", items=None,
        )

    def _side(
        self, actor: Actor, agency: AgencyRef, side: S, now: datetime
    ) -> tuple[dict[str, Any], dict[str, list[str]]] | None:
        """What the caller's role is shown of one side, judged on its own child's dossier."""
        with self.dossiers.dossier(side.child_id) as dossier:
            if dossier is None:
                return None
            engine = self.views.engine_for(self.dossiers.fold.policy)
            ref = RecordRef(self.record_type, side.id, self.record(side), side)
            row = view_row(engine, agency, dossier, ref, now)
        if row is None:
            return None
        visible = Disclosure(row.record_type, row.record_id, row.body, row.rules, row.roles).for_role(actor.role)
        return (visible, row.rules) if visible else None
