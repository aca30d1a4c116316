"""The retention rule (cam-csc-manual §7.4, D53; docs/decisions/0019): ``hub retention``.

A child's closed file is kept in the operational views until the child comes of
age, then archived: an ``Archival`` per child record takes it out of every
body's view, inbox and duplicate search, while the log keeps it for auditors.
Each run is itself recorded, with what it archived and what it had to keep.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from hub import clock
from hub.actor import Actor
from hub.aggregates.archival import RULE, Archival, archival_id_for
from hub.aggregates.retention_run import Kept, RetentionRun
from hub.application import HubApplication
from hub.errors import Conflict
from hub.privacy.dossier import Dossier
from hub.projections.agency_views import AgencyViews
from hub.services.same_child import SameChild

RETENTION_AGE = "HUB_RETENTION_AGE"
ADULTHOOD = 18  # "until the child reaches 18 years of age" (L2573-2578)
_KEPT_FOR = {"case": Kept.OPEN_CASE, "referral": Kept.OPEN_REFERRAL, "survivor_report": Kept.SURVIVOR_REPORT}


def retention_age(env: Mapping[str, str]) -> int:
    age = int(env.get(RETENTION_AGE) or ADULTHOOD)
    if age < ADULTHOOD:
        # The manual keeps files at least until 18; a deployment may keep them longer, never shorter.
        raise ValueError(f"{RETENTION_AGE}={age}: files are kept at least until the child is {ADULTHOOD}")
    return age


ARCHIVE, NOT_DUE = "archive", "not-due"


def verdict(dossiers: list[Dossier], today: date, age: int) -> str:
    """ARCHIVE, NOT_DUE, or a Kept reason: due by age, but the file cannot go yet.

    All records of one child go together. Of several recorded ages the youngest counts:
    archiving too early would take a minor's file away from the bodies protecting them.
    """
    open_matter = next((m for m in (d.open_matter() for d in dossiers) if m is not None), None)
    ages = [a for a in (d.child.age_on(today) for d in dossiers) if a is not None]
    if not ages:
        return NOT_DUE if open_matter else Kept.AGE_UNKNOWN
    if min(ages) < age:
        return NOT_DUE
    return _KEPT_FOR[open_matter] if open_matter else ARCHIVE


class RetentionService:
    def __init__(self, store: HubApplication, views: AgencyViews) -> None:
        self.store = store
        self.views = views

    def apply_retention(self, actor: Actor, as_of: date | None = None, dry_run: bool = False) -> RetentionRun:
        """Archives every file due on ``as_of`` (today by default); returns the run, recorded unless ``dry_run``."""
        today = as_of or clock.now().date()
        age = retention_age(self.store.env)
        self.views.catch_up()
        due, kept = self._due(today, age)
        run = RetentionRun(
            actor=actor, as_of=today, retention_age=age, archived=[d.child_id for d in due],
            kept=[{"child_id": str(child_id), "reason": str(reason)} for child_id, reason in kept],
        )
        if dry_run:
            return run
        archivals = [
            Archival(
                id=archival_id_for(self.store.record_ids, d.child_id), actor=actor, child_id=d.child_id, run_id=run.id,
                retention_rule=RULE, retention_age=age,
                case_ids=[c.id for c in d.cases], referral_ids=[r.id for r in d.referrals],
            )
            for d in due
        ]
        try:
            self.store.save(run, *archivals)
        except IntegrityError as clash:
            raise Conflict("another retention run archived some of these files at the same moment: run it again") from clash
        self.views.catch_up()
        return run

    def _due(self, today: date, age: int) -> tuple[list[Dossier], list[tuple[UUID, Kept]]]:
        same = SameChild(self.store.recorder, self.store.mapper)
        due: list[Dossier] = []
        kept: list[tuple[UUID, Kept]] = []
        seen: set[UUID] = set()
        for child_id in sorted(self.views.store.children(), key=str):
            if child_id in seen:
                continue
            component = same.records_of(child_id)
            seen.update(component)
            dossiers = [d for d in map(self.views.fold.dossier, component) if d is not None]  # None: erased
            if not dossiers or any(d.archival is not None for d in dossiers):
                continue
            decided = verdict(dossiers, today, age)
            if decided == ARCHIVE:
                due += dossiers
            elif decided != NOT_DUE:
                kept += [(d.child_id, Kept(decided)) for d in dossiers]
        return due, kept
