"""What the hub owes after a stream of referrals: every referral a client was told of, and every message
produced, in the log exactly once - and nothing else; every message's offset committed; no dead letter."""

from __future__ import annotations

from uuid import UUID

from adapters.receipt import MessageReceipt
from hub.aggregates.referral import Referral
from hub.bootstrap import Hub
from tests.api_support import EventTally
from tests.faults.load import HttpReferrals, KafkaReferrals
from tests.kafka_support import committed_offsets, end_offsets, wait_for


class Ledger:
    def __init__(self, hub: Hub, kafka: KafkaReferrals, http: HttpReferrals) -> None:
        self.hub, self.kafka, self.http = hub, kafka, http
        self.submitted = EventTally(hub, Referral.Submitted)
        self.receipts = EventTally(hub, MessageReceipt.Applied)

    @property
    def expected(self) -> int:
        return self.kafka.referrals + len(self.http.keys)

    def referrals(self) -> int:
        """How many the log holds so far."""
        return self.submitted.total()

    def committed(self) -> dict[str, dict[int, int]]:
        """Per topic, the offsets committed in the partitions that have one (a partition no message went to
        has none, as it has no end in ``produced``)."""
        settings = self.kafka.settings
        return {
            settings.inbound_topic(a): {
                partition: offset
                for partition, offset in committed_offsets(
                    settings, settings.ingest_group(a), settings.inbound_topic(a)
                ).items() if offset
            }
            for a in self.kafka.adapters
        }

    def settle(self, timeout: float, why: str) -> None:
        """Waits until every client has its answer, every message is applied and its offset committed."""
        self.http.join()
        wait_for(
            lambda: len(self.receipts.read()) >= len(self.kafka.messages), timeout, f"every message applied ({why})",
            every=0.5,
        )
        wait_for(lambda: self.committed() == self.kafka.produced, timeout, f"every offset committed ({why})", every=0.5)

    def check(self, why: str) -> None:
        per_referral = self.submitted.read()
        http = self.http
        assert (http.refused[:5], http.unanswered[:5]) == ([], []), why
        acknowledged = set(http.acknowledged.values())
        assert len(acknowledged) == len(http.keys), why
        assert {r: n for r in acknowledged if (n := per_referral[r]) != 1} == {}, why

        per_receipt, ids = self.receipts.read(), self.hub.store.record_ids
        assert {m.message_id: n for m in self.kafka.messages if (n := per_receipt[m.receipt_id(ids)]) != 1} == {}, why
        from_kafka = {
            UUID(applied["record_id"])
            for m in self.kafka.messages for applied in self.hub.store.repository.get(m.receipt_id(ids)).applied
        }
        assert len(from_kafka) == self.kafka.referrals, why
        assert {r: n for r in from_kafka if (n := per_referral[r]) != 1} == {}, why
        assert set(per_referral) == acknowledged | from_kafka, why  # no referral that nobody sent

        settings = self.kafka.settings
        dead_letters = {a: end_offsets(settings, settings.dead_letter_topic(a)) for a in self.kafka.adapters}
        assert not any(any(ends.values()) for ends in dead_letters.values()), f"{why}: {dead_letters}"
