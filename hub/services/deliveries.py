"""Each delivery of a notice, and each failure to deliver it, recorded on the notice (docs/decisions/0036).

Recording is idempotent: once a channel carried a notice, a later report of the same (a relay round
sent again, a second worker) records nothing, so the record says when it first arrived.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from hub.actor import HUB_SYSTEM
from hub.aggregates.notice import Notice
from hub.crypto.keys import ChildErased
from hub.delivery.channel import Channel
from hub.services.aggregates import Aggregates
from hub.services.conflicts import retry_on_conflict


class DeliveryService:
    def __init__(self, aggregates: Aggregates) -> None:
        self.aggregates = aggregates

    def notice(self, notice_id: UUID) -> Notice | None:
        """The notice, or None: unknown, or about a child since erased (nothing of it is delivered or recorded)."""
        try:
            found = self.aggregates.find(notice_id)
        except ChildErased:
            return None
        return found if isinstance(found, Notice) else None

    @retry_on_conflict
    def delivered(self, notice_id: UUID, channel: Channel, recipient: str | None = None) -> bool:
        """Records that ``channel`` carried the notice (to ``recipient``, when the caller knows whom it
        reached: a message to another body that sees the notice is not its delivery)."""
        notice = self.notice(notice_id)
        if notice is None or notice.delivered_by(channel) or (recipient and notice.recipient_agency != recipient):
            return False
        notice.record_delivery(HUB_SYSTEM, str(channel), None)
        self.aggregates.save(notice)
        return True

    @retry_on_conflict
    def failed(self, notice_id: UUID, channel: Channel, error: str, repeat: bool = True) -> int:
        """Records a failed attempt; returns the failures since the channel last carried it. Without
        ``repeat``, a failure following a failure is not recorded again (a channel that retries for as
        long as it takes, as the relay does, records an outage once, not once a second)."""
        notice = self.notice(notice_id)
        if notice is None or notice.delivered_by(channel):
            return 0
        failures = notice.failures_since_delivered(channel)
        if repeat or not failures:
            notice.record_delivery(HUB_SYSTEM, str(channel), error)
            self.aggregates.save(notice)
            failures += 1
        return failures

    @retry_on_conflict
    def give_up(self, notice_id: UUID, channel: Channel, attempts: int) -> None:
        """The last attempt failed: the notice shows the channel undelivered to its sender and managing body."""
        notice = self.notice(notice_id)
        if notice is not None and not notice.delivered_by(channel):
            notice.give_up_delivery(HUB_SYSTEM, str(channel), attempts)
            self.aggregates.save(notice)

    def delivered_to(self, pairs: Iterable[tuple[UUID, str]], channel: Channel) -> int:
        return sum(self.delivered(notice_id, channel, recipient) for notice_id, recipient in pairs)
