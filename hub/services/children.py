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
from hub.services.commit import Commit, Reply
from hub.services.conflicts import retry_on_conflict


class ChildService:
    def __init__(self, aggregates: Aggregates, commit: Commit) -> None:
        self.aggregates = aggregates
        self.commit = commit

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
    def _change_child(
        self, actor: Actor, child_id: UUID, change: Callable[[Child], None], reply: Reply | None
    ) -> Child:
        """Identity changes are the case manager's: a referrer only reports what it knows."""
        child = self.aggregates.load(Child, child_id, "child")
        if actor.agency not in self.managing_agencies(child):
            raise NotFound(f"no child {child_id}")
        change(child)
        self.commit(actor, child, reply=reply)
        return child

    def add_alias(self, actor: Actor, child_id: UUID, alias: str, reply: Reply | None = None) -> Child:
        return self._change_child(actor, child_id, lambda c: c.add_alias(actor, alias), reply)

    def dispute_age(self, actor: Actor, child_id: UUID, reason: str, reply: Reply | None = None) -> Child:
        return self._change_child(actor, child_id, lambda c: c.dispute_age(actor, reason), reply)

    def determine_age(
        self, actor: Actor, child_id: UUID, date_of_birth: date, method: str, benefit_of_doubt: bool,
        reply: Reply | None = None,
    ) -> Child:
        return self._change_child(
            actor, child_id, lambda c: c.determine_age(actor, date_of_birth, method, benefit_of_doubt), reply)

    def record_date_of_birth(self, actor: Actor, child_id: UUID, date_of_birth: date, source: str,
                             reply: Reply | None = None) -> Child:
        return self._change_child(actor, child_id, lambda c: c.record_date_of_birth(actor, date_of_birth, source), reply)

    def add_category(self, actor: Actor, child_id: UUID, category: CabmCategory, reason: str,
                     reply: Reply | None = None) -> Child:
        return self._change_child(actor, child_id, lambda c: c.add_category(actor, category, reason), reply)

    def remove_category(self, actor: Actor, child_id: UUID, category: CabmCategory, reason: str,
                        reply: Reply | None = None) -> Child:
        return self._change_child(actor, child_id, lambda c: c.remove_category(actor, category, reason), reply)
