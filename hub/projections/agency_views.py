"""The per-agency views: for every child, what each body may see of each record, built from the log.

The runner reads the log in batches after its tracked position, folds each
event into the child's dossier, recomputes the views of the children a batch
touched (every child when the policy or the agency register changes) and writes
them with the new position in one transaction. The filter is applied here, when
the view is built, and again by role when a row is served.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from hub import clock, progress
from hub.aggregates.access_record import AccessRecord
from hub.crypto.row_seal import RowSealer
from hub.inbox.builder import inbox_items
from hub.inbox.clocks import clocks_of
from hub.inbox.item import InboxItem
from hub.inbox.store import InboxStore
from hub.matching.index import ChildIndex
from hub.permissions import roles_of
from hub.privacy.dossier import AgencyRef, Dossier, RecordRef, records_of
from hub.privacy.engine import Disclosure, PrivacyEngine
from hub.privacy.facts import Facts
from hub.privacy.policy_file import LoadedPolicy, packaged_policy_text
from hub.projections.fold import DossierFold
from hub.projections.glass_openings import GlassOpenings, OpeningRow, opening_row
from hub.projections.sql import Cursor, Sql
from hub.projections.view_store import ReadRow, ViewRow, ViewStore
from hub.young_collections import frozen_batches

# A command's events and those of the aggregates it touches are often far apart in the log (a save of
# many cases writes the referrals first, the children last): a batch this long meets most of a
# child's events at once, so its views are computed once, not once per fragment.
BATCH = 5000


class AgencyViews:
    def __init__(self, app: Any, inline: bool = True, sql: Sql | None = None, task: str = "views") -> None:
        """``sql``: where the tables are (a rebuild's, beside the live ones: hub/projections/rebuild.py);
        ``task``: the name its progress is reported under."""
        self.app = app
        self.task = task
        # Inline: whoever reads brings the views up to the log first (the CLI, the tests). Otherwise a
        # projector does it apart (``hub project``, or a thread of ``hub serve``) and reads never wait
        # for it beyond what they ask (hub/api/freshness.py).
        self.inline = inline
        sql, sealer = sql or Sql(app.recorder), RowSealer(app.child_keys)
        self.store = ViewStore(sql, sealer)
        self.inbox = InboxStore(sql, sealer)
        self.child_index = ChildIndex(sql, app.name_index_key)
        self.openings = GlassOpenings(sql)
        self.fold = self._fresh_fold()
        self._folded: int | None = None  # the views' position the fold took in; None: a fresh fold, good anywhere
        self._engines: dict[str, PrivacyEngine] = {}
        self._lock = threading.Lock()
        self._kinds: tuple[dict[str, AgencyRef], dict[str, str]] = ({}, {})
        self._reached = 0  # the position this process last caught up to; events are numbered in commit order

    # -- loading aggregates the fold has not seen -------------------------------------------------

    def _load(self, aggregate_id: UUID, version: int | None) -> Any:
        try:
            return self.app.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            return None

    def engine(self) -> PrivacyEngine:
        """The engine for the policy in force (the last adopted one; the packaged one before any)."""
        return self.engine_for(self.fold.policy)

    def engine_for(self, policy: Any) -> PrivacyEngine:
        text = policy.text if policy is not None else packaged_policy_text()
        key = policy.digest if policy is not None else "packaged"
        if key not in self._engines:
            self._engines[key] = PrivacyEngine(LoadedPolicy(text), roles_of)
        return self._engines[key]

    # -- catching up -----------------------------------------------------------------------------

    def _fresh_fold(self) -> DossierFold:
        return DossierFold(self._load, self.store.members_of, self.app.mapper.subjects.child_of, self.app.child_keys.shredded)

    def current(self) -> None:
        """Brings the views up to the log, unless a projector of their own does."""
        if self.inline:
            self.catch_up()

    def catch_up(self, fence: Callable[[Cursor], None] | None = None) -> int:
        """Processes every event recorded so far; returns the position reached.

        Requests arriving together queue here. Each needs the log only as it stood when it asked
        (its own writes included, since they committed before): when a request ahead of it already
        took the views that far, it goes on at once instead of asking the store again. ``fence`` runs in
        each batch's transaction: the elected projector's check that it still leads (docs/decisions/0031).
        """
        wanted = self.app.recorder.max_notification_id() or 0
        with self._lock:
            if self._reached >= wanted:
                return self._reached
            try:
                # A batch's objects live on in the fold or die by reference counting: the collector's passes
                # walked them for a fifth of the catch-up, and the young collections between batches, which
                # found no garbage, still a twentieth (docs/benchmarks.md, docs/decisions/0065).
                with frozen_batches() as between_batches:
                    self._reached = self._catch_up(fence, between_batches)
                return self._reached
            except Exception:
                # The fold has taken in a batch whose write did not commit: it would think the batch's
                # records already written (their membership, say). Start again from the stored state.
                self._refold()
                raise

    def _refold(self) -> None:
        self.fold, self._folded = self._fresh_fold(), None

    def _catch_up(self, fence: Callable[[Cursor], None] | None, between_batches: Callable[[], None]) -> int:
        position = self.store.position()
        if self._folded not in (None, position):
            self._refold()  # the views moved under this fold: another process wrote them, or a rebuild replaced them
        self.fold.ensure_context()
        head = self.app.recorder.max_notification_id() or 0
        while True:
            progress.report(self.task, position, max(head, position))
            reached = self._batch(position, fence)
            if reached is None:
                return position
            if reached == position:  # the views moved meanwhile: this batch is not written; go on from where they are
                self._refold()
                position = self.store.position()
                self.fold.ensure_context()
                continue
            position = self._folded = reached
            # Once the batch's own objects (its events, rows and lines) died with its frame, what is left is what the
            # fold keeps: frozen, not walked (in a worker whose start-up is frozen, collected young: 0065).
            between_batches()

    def _batch(self, after: int, fence: Callable[[Cursor], None] | None) -> int | None:
        """Folds and writes the events after ``after``, up to a batch of them: the position written, ``after`` if
        the views were no longer there, None if there were no events."""
        notifications = self.app.recorder.select_notifications(start=after + 1, limit=BATCH)
        if not notifications:
            return None
        children: set[UUID] = set()
        members: list[tuple[UUID, UUID]] = []
        reads: list[ReadRow] = []
        openings: list[OpeningRow] = []
        everything = False
        # Each child's key read once for the batch, not a statement per child as its first event is decoded.
        self.app.child_keys.preload(self.app.mapper.children_in(notifications))
        events = [self.app.mapper.to_domain_event(n) for n in notifications]
        self.fold.meet(self.store.members_of_children(self.fold.unmet(events)))
        for notification, event in zip(notifications, events, strict=True):
            effect = self.fold.apply(event)
            everything |= effect.everything
            if effect.child_id is not None and effect.access is None:
                children.add(effect.child_id)
            if effect.new_member is not None and effect.child_id is not None:
                members.append((effect.child_id, effect.new_member))
            if effect.access is not None:
                reads.extend(_read_rows(notification.id, effect.access))
            opening = opening_row(notification.id, event)
            if opening is not None:
                openings.append(opening)
            for child_id in effect.erased:
                self.app.child_keys.forget(child_id)  # this process may hold the key: let it go now
                children.add(child_id)
        if everything:
            children |= set(self.fold.known_children()) | set(self.store.children())
        position = notifications[-1].id
        now = clock.now()
        rows: list[ViewRow] = []
        items: list[InboxItem] = []
        names: list[tuple[UUID, str]] = []
        for child_id in children:
            if child_id in self.fold.erased:
                rows += [_residue_row(r) for r in self.fold.residues.get(child_id, [])]
                continue  # no inbox line and no name in the duplicate index
            dossier = self.fold.dossier(child_id)
            if dossier is None or dossier.archival is not None:
                continue  # archived (decision 0019): no view rows, and no inbox line or name either
            child_rows = self.rows_of(dossier, now)
            rows += child_rows
            items += inbox_items(dossier, child_rows, now, clocks_of, self.agency_kinds())
            names += [(child_id, h) for h in self.child_index.hashes(dossier.child)]
        also = [
            self.inbox.replacing(children, items), self.child_index.replacing(children, names),
            self.openings.adding(openings), *([fence] if fence else []),
        ]
        if not self.store.write(after, position, children, rows, members, reads, also):
            return after
        return position

    def current_dossier(self, child_id: UUID) -> Dossier | None:
        """The child's dossier as the log holds it now, built apart from the projection: no lock, nothing shared."""
        subjects = self.app.mapper.subjects
        return DossierFold(self._load, subjects.members, subjects.child_of, set).dossier(child_id)

    def rows_for(self, child_id: UUID, now: datetime) -> list[ViewRow]:
        dossier = self.fold.dossier(child_id)
        return [] if dossier is None else self.rows_of(dossier, now)

    def rows_of(self, dossier: Dossier, now: datetime) -> list[ViewRow]:
        return view_rows(self.engine(), self.fold.agencies, dossier, now)

    def agency_kinds(self) -> dict[str, str]:
        """Each registered body's kind, by code: which clocks run on a referral depends on who received it."""
        agencies = self.fold.agencies
        if self._kinds[0] is not agencies:  # the fold replaces its register when the directory changes, never edits it
            self._kinds = (agencies, {a.code: str(a.kind) for a in agencies.values()})
        return self._kinds[1]

    def dossier(self, child_id: UUID) -> Dossier | None:
        self.catch_up()
        return self.fold.dossier(child_id)


def view_rows(engine: PrivacyEngine, agencies: Mapping[str, AgencyRef], dossier: Dossier, now: datetime) -> list[ViewRow]:
    """What each registered body (by code) may see of each record of the dossier at ``now``, under ``engine``'s policy."""
    if dossier.archival is not None:
        return []  # archived (decision 0019): no body sees the file any more, live or replayed
    rows = []
    refs = records_of(dossier, now)
    facts = Facts()  # the same dossier at the same moment for every body and record below
    child_id = str(dossier.child_id)  # written on every row
    for agency in engine.audience.of(agencies, dossier, refs):
        if engine.conceals(agency, dossier, now, facts):
            continue
        until = _valid_until(dossier, agency)
        for ref in refs:
            disclosure = engine.disclose(agency, ref, dossier, now, facts=facts)
            if disclosure is not None:
                rows.append(_view_row(agency, child_id, disclosure, engine.version, until))
    return rows


def view_row(engine: PrivacyEngine, agency: AgencyRef, dossier: Dossier, ref: RecordRef, now: datetime) -> ViewRow | None:
    """The row ``view_rows`` makes for this one body and this one record, alone."""
    if dossier.archival is not None or engine.conceals(agency, dossier, now):
        return None
    disclosure = engine.disclose(agency, ref, dossier, now)
    if disclosure is None:
        return None
    return _view_row(agency, str(dossier.child_id), disclosure, engine.version, _valid_until(dossier, agency))


def _valid_until(dossier: Dossier, agency: AgencyRef) -> str | None:
    """When the earliest consent naming this body expires: its view must then be rebuilt."""
    expiries = [
        c.expires_at for c in dossier.consents if c.expires_at is not None and c.recipient in (agency.code, str(agency.kind))
    ]
    return min(expiries).isoformat() if expiries else None


def _view_row(agency: AgencyRef, child_id: str, d: Disclosure, version: int, until: str | None) -> ViewRow:
    return ViewRow(agency.code, d.record_type, d.record_id, child_id, d.record, d.rules, d.roles, version, until)


def _residue_row(r: dict[str, Any]) -> ViewRow:
    return ViewRow(
        r["agency"], r["record_type"], r["record_id"], r["child_id"], r["body"], r["rules"], r["roles"],
        r["policy_version"], None, personal=False,
    )


def _read_rows(position: int, access: AccessRecord) -> list[ReadRow]:
    """One row per record read; a list read gives a row per line, so each child's log shows it."""
    lines: list[tuple[str | None, str, str]] = [(child, kind, record) for child, kind, record in access.items] or [
        (str(access.child_id) if access.child_id else None, access.record_type, str(access.record_id))
    ]
    return [
        ReadRow(
            position=position,
            child_id=child_id,
            at=access.created_on.isoformat(),
            agency=access.actor.agency,
            role=access.actor.role,
            user=access.actor.user,
            record_type=record_type,
            record_id=record_id,
            fields=access.fields,
            rules=access.rules,
            outcome=str(access.state),
            purpose=access.purpose,
        )
        for child_id, record_type, record_id in lines
    ]
