"""The child's identity record: aliases, age determination, migration categories."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from hub.actor import Actor
from hub.aggregates.case import Case
from hub.aggregates.child import Child
from hub.aggregates.referral import Referral
from hub.aggregates.vocabulary import CabmCategory
from hub.errors import NotFound
from hub.services.aggregates import Aggregates
from hub.services.conflicts import retry_on_conflict


class ChildService:
    def __init__(self, aggregates: Aggregates) -> None:
        self.aggregates = aggregates

    def involved_agencies(self, child: Child) -> set[str]:
        """Agencies that referred the child or manage one of the child's cases."""
        agencies = {self.aggregates.load(Referral, r, "referral").referrer_agency for r in child.referral_ids}
        agencies |= {self.aggregates.load(Case, c, "case").managing_agency for c in child.case_ids}
        return agencies

    def managing_agencies(self, child: Child) -> set[str]:
        return {self.aggregates.load(Case, c, "case").managing_agency for c in child.case_ids}

    def child_for(self, actor: Actor, child_id: UUID) -> Child:
        child = self.aggregates.load(Child, child_id, "child")
        if actor.agency not in self.involved_agencies(child):
            raise NotFound(f"no child {child_id}")
        return child

    @retry_on_conflict
    def _change_child(self, actor: Actor, child_id: UUID, change: Callable[[Child], None]) -> Child:
        """Identity changes are the case manager's: a referrer only reports what it knows."""
        child = self.aggregates.load(Child, child_id, "child")
        if actor.agency not in self.managing_agencies(child):
            raise NotFound(f"no child {child_id}")
        change(child)
        self.aggregates.save(child)
        return child

    def add_alias(self, actor: Actor, child_id: UUID, alias: str) -> Child:
        return self._change_child(actor, child_id, lambda c: c.add_alias(actor, alias))

    def dispute_age(self, actor: Actor, child_id: UUID, reason: str) -> Child:
        return self._change_child(actor, child_id, lambda c: c.dispute_age(actor, reason))

    def determine_age(
        self, actor: Actor, child_id: UUID, date_of_birth: date, method: str, benefit_of_doubt: bool
    ) -> Child:
        return self._change_child(
            actor, child_id, lambda c: c.determine_age(actor, date_of_birth, method, benefit_of_doubt)
        )

    def record_date_of_birth(self, actor: Actor, child_id: UUID, date_of_birth: date, source: str) -> Child:
        return self._change_child(actor, child_id, lambda c: c.record_date_of_birth(actor, date_of_birth, source))

    def add_category(self, actor: Actor, child_id: UUID, category: CabmCategory, reason: str) -> Child:
        return self._change_child(actor, child_id, lambda c: c.add_category(actor, category, reason))

    def remove_category(self, actor: Actor, child_id: UUID, category: CabmCategory, reason: str) -> Child:
        return self._change_child(actor, child_id, lambda c: c.remove_category(actor, category, reason))
