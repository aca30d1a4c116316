"""Reading records through the privacy policy, and recording every read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from hub import clock
from hub.actor import Actor
from hub.aggregates.access_record import AccessOutcome, AccessRecord
from hub.aggregates.attachment import Attachment
from hub.aggregates.case import Case
from hub.aggregates.child import Child
from hub.aggregates.consent import Consent
from hub.aggregates.glass_break import GlassBreak
from hub.aggregates.referral import Referral
from hub.aggregates.survivor_report import SurvivorReport
from hub.application import HubApplication
from hub.crypto.keys import ChildErased
from hub.errors import NotFound
from hub.privacy.dossier import AgencyRef
from hub.privacy.engine import Disclosure
from hub.privacy.paths import leaf_paths
from hub.projections.agency_views import AgencyViews
from hub.projections.view_store import ReadRow, ViewRow
from hub.services.aggregates import Aggregates
from hub.services.directory import DirectoryService

_SUBJECTS = (Referral, Case, Consent, GlassBreak, Attachment, SurvivorReport)


class ReadService:
    def __init__(
        self, store: HubApplication, aggregates: Aggregates, directory: DirectoryService, views: AgencyViews
    ) -> None:
        self.store = store
        self.aggregates = aggregates
        self.directory = directory
        self.views = views

    def agency_ref(self, actor: Actor) -> AgencyRef:
        agency = self.directory.agency(actor.agency)
        return AgencyRef(agency.code, agency.kind, agency.unit)

    def child_of_record(self, record_type: str, record_id: UUID) -> UUID | None:
        """The child a record is about, found without revealing anything to the caller."""
        aggregate_id = record_id
        if record_type == "medical_examination":
            return None
        try:
            aggregate = self.aggregates.find(aggregate_id)
        except ChildErased as erased:
            return erased.child_id
        if isinstance(aggregate, Child):
            return aggregate.id
        return aggregate.child_id if isinstance(aggregate, _SUBJECTS) else None

    def record_read(
        self, actor: Actor, child_id: UUID | None, record_type: str, record_id: UUID, fields: list[str],
        rules: list[str], outcome: AccessOutcome, purpose: str, items: list[list[str]] | None = None,
    ) -> None:
        self.aggregates.save(_read(actor, child_id, record_type, record_id, fields, rules, outcome, purpose, items))

    def record_publications(self, published: list[tuple[Actor, str, ViewRow]]) -> None:
        """Records view rows sent out of the hub (the Kafka relay) as reads by their recipients, in one
        transaction: (recipient, purpose, row) each, with the row's fields and the rules that show them."""
        if published:
            self.aggregates.save(*(
                _read(reader, UUID(row.child_id), row.record_type, UUID(row.record_id), *shown(row.body, row.rules),
                      AccessOutcome.GRANTED, purpose)
                for reader, purpose, row in published
            ))

    def denied(self, actor: Actor, record_type: str, record_id: UUID, child_id: UUID | None, purpose: str) -> NotFound:
        self.record_read(actor, child_id, record_type, record_id, [], [], AccessOutcome.DENIED, purpose)
        return _not_found(record_type, record_id)

    def show(self, actor: Actor, record_type: str, record_id: UUID, purpose: str = "read") -> dict[str, Any]:
        """The record as the caller's agency and role may see it; every read is recorded, refusals too."""
        return self._disclosed(actor, record_type, record_id, self._current_row(actor, record_type, record_id), purpose)

    def may_open(self, actor: Actor, record_type: str, record_id: UUID) -> bool:
        """Whether ``show`` would show the caller anything of the record: a page links only to what its reader may
        open. Nothing is recorded: a link is not a read, its opening will be."""
        row = self._current_row(actor, record_type, record_id)
        return row is not None and self.judged(actor, record_type, record_id, row, "link")[0] is not None

    def _current_row(self, actor: Actor, record_type: str, record_id: UUID) -> ViewRow | None:
        """The caller's agency's view row of the record, the views caught up and a lapsed consent judged again."""
        self.views.current()
        return self._still_valid(self.views.store.row(actor.agency, record_type, record_id), clock.now())

    def _still_valid(self, row: ViewRow | None, now: datetime) -> ViewRow | None:
        """The row, judged again as of now where a consent behind it has expired since the view was built."""
        if row is None or row.valid_until is None or now < datetime.fromisoformat(row.valid_until):
            return row
        fresh = [r for r in self.views.rows_for(UUID(row.child_id), now)
                 if (r.agency, r.record_type, r.record_id) == (row.agency, row.record_type, row.record_id)]
        return fresh[0] if fresh else None

    def _disclosed(
        self, actor: Actor, record_type: str, record_id: UUID, row: ViewRow | None, purpose: str
    ) -> dict[str, Any]:
        """The row's fields the caller's role may see, the read recorded; a refusal recorded too."""
        visible, read = self.judged(actor, record_type, record_id, row, purpose)
        self.aggregates.save(read)
        if visible is None:
            raise _not_found(record_type, record_id)
        return visible

    def judged(
        self, actor: Actor, record_type: str, record_id: UUID, row: ViewRow | None, purpose: str,
        child_id: UUID | None = None,
    ) -> tuple[dict[str, Any] | None, AccessRecord]:
        """What the caller's role may see of the row (None: nothing), and the record of that read."""
        if row is None:
            child_id = child_id or self.child_of_record(record_type, record_id)
            return None, _read(actor, child_id, record_type, record_id, [], [], AccessOutcome.DENIED, purpose)
        disclosure = Disclosure(row.record_type, row.record_id, row.body, row.rules, row.roles)
        visible = disclosure.for_role(actor.role)
        if not visible:
            return None, _read(actor, UUID(row.child_id), record_type, record_id, [], [], AccessOutcome.DENIED, purpose)
        fields, rules = shown(visible, row.rules)
        return visible, _read(actor, UUID(row.child_id), record_type, record_id, fields, rules, AccessOutcome.GRANTED,
                              purpose)

    def visible_records(self, actor: Actor, child_id: UUID) -> list[dict[str, Any]]:
        """Every record of a child the caller may see; each read recorded, all in one transaction."""
        self.views.current()
        rows = [r for r in self.views.store.rows_of_child(child_id) if r.agency == actor.agency]
        if not rows:
            raise self.denied(actor, "child", child_id, self.child_of_record("child", child_id), "list")
        now = clock.now()
        judged = [
            (row.record_type, *self.judged(actor, row.record_type, UUID(row.record_id), self._still_valid(row, now), "list"))
            for row in rows
        ]
        self.aggregates.save(*(read for _, _, read in judged))
        return [{"record_type": record_type, "record": visible} for record_type, visible, _ in judged if visible is not None]

    def newest(
        self, actor: Actor, record_type: str, limit: int = 100, keep: Callable[[dict[str, Any]], bool] | None = None,
        purpose: str = "list",
    ) -> list[dict[str, Any]]:
        """The caller's agency's newest records of a type, as its role may see them, those ``keep`` keeps (a
        search's matches); each record shown is a read recorded, those looked through and left are not."""
        self.views.current()
        rows = self.views.store.rows_of_agency(actor.agency, record_type, limit)
        return self._kept(actor, record_type, [(UUID(row.record_id), row) for row in rows], keep, purpose)

    def found(
        self, actor: Actor, record_type: str, record_ids: list[UUID], keep: Callable[[dict[str, Any]], bool],
        purpose: str = "search",
    ) -> list[dict[str, Any]]:
        """These records as the caller's role may see them, those ``keep`` keeps (an index's hits); as for
        ``newest``, only the records shown are recorded as read: a hit the caller may not see leaves no trace of
        having been looked at, and answers as a miss."""
        self.views.current()
        rows = [(record_id, self.views.store.row(actor.agency, record_type, record_id)) for record_id in record_ids]
        return self._kept(actor, record_type, rows, keep, purpose)

    def _kept(
        self, actor: Actor, record_type: str, rows: list[tuple[UUID, ViewRow | None]],
        keep: Callable[[dict[str, Any]], bool] | None, purpose: str,
    ) -> list[dict[str, Any]]:
        now = clock.now()
        judged = [self.judged(actor, record_type, record_id, self._still_valid(row, now), purpose)
                  for record_id, row in rows]
        kept = [(visible, read) for visible, read in judged
                if visible is not None and (keep is None or keep(visible))]
        self.aggregates.save(*(read for _, read in kept))
        return [visible for visible, _ in kept]

    def case_history(self, actor: Actor, case_id: UUID) -> list[Any]:
        """The raw events of a case: only for a body that may see every field of it."""
        record = self.show(actor, "case", case_id, purpose="timeline")
        if not set(self.views.engine().file.records["case"]) <= set(record):
            child_id = UUID(str(record["child_id"])) if "child_id" in record else None
            raise self.denied(actor, "case", case_id, child_id, "timeline")
        return list(self.store.events.get(case_id))

    # -- who saw what ----------------------------------------------------------------------------

    def reads_of_child(self, actor: Actor, child_id: UUID) -> list[ReadRow]:
        """Who read the child's records (the child asks through the centre that manages the case)."""
        self.show(actor, "child", child_id, purpose="access_log")
        self.views.current()  # so the log shows this very read too
        return self.views.store.reads("child_id = ?", [str(child_id)])


def _not_found(record_type: str, record_id: UUID) -> NotFound:
    # The same answer as for a record that does not exist: a refusal must not tell the caller
    # that there is something to refuse.
    return NotFound(f"no {record_type.replace('_', ' ')} {record_id}")


def shown(record: dict[str, Any], rules: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """The fields a record shows (its leaves, as the policy catalogues them) and the rules that show them."""
    fields = sorted(leaf_paths(record, set(rules)))
    return fields, [rule for path in fields for rule in rules[path]]


def _read(
    actor: Actor, child_id: UUID | None, record_type: str, record_id: UUID, fields: list[str], rules: list[str],
    outcome: AccessOutcome, purpose: str, items: list[list[str]] | None = None,
) -> AccessRecord:
    return AccessRecord(
        actor=actor, child_id=child_id, record_type=record_type, record_id=record_id, fields=sorted(fields),
        rules=sorted(set(rules)), outcome=str(outcome), purpose=purpose, items=items,
    )
