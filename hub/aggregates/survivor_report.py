"""An adult survivor's report of abuse in childhood that goes on against younger children (decision 0041).

Adel disclosed at 18 (vse §3.1, L2804, L2828): too old for a child protection referral (cam L58, rule
``L58-adult``), yet her four younger half-siblings still lived with the man she accused (L2844). Her
report is a record of her own, bound to her person record (sealed with its key, erased with it); the
concern for each minor sibling is a referral of its own about that sibling, raised in the same
transaction and linked to her record, carrying the reporter's words about the siblings' risk and
nothing of her account.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate


class SurvivorReport(HubAggregate):
    kind = "survivor report"

    @event("Recorded")
    def __init__(
        self, id: UUID, actor: Actor, child_id: UUID, account: str, abuser: dict[str, str | None],
        sibling_referral_ids: list[UUID], sibling_child_ids: list[UUID],
    ) -> None:
        self.state = "recorded"
        self.child_id = child_id  # the survivor's own person record
        self.reporter_agency = actor.agency
        self.account = account
        self.abuser = abuser
        self.sibling_referral_ids = sibling_referral_ids
        self.sibling_child_ids = sibling_child_ids
