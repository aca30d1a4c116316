"""``hub deliver``: takes each notice through the channels its recipient has and records what happened.

- **inbox**: recorded delivered once the recipient's view holds the notice (the views are built apart
  from the commands, decision 0024); a notice no registered body could receive fails at once and is given up.
- **email**: sent to the agency's contact address (hub/delivery/message.py: no personal data); a failure is
  recorded and tried again after a doubling wait, and after ``attempts`` failures given up: the notice shows
  the channel "undelivered" to its sender and the managing body, and is in their inboxes.
- **topic**: recorded by the relay after the broker's acknowledgement (hub/kafka/relay.py), not here.

At least once: a message sent and not yet recorded when the worker dies is sent again once its lease runs
out, with the same Message-ID. Never twice after it is recorded: each attempt first reads the notice, and
a delivered channel is not tried again; two workers never hold one delivery at once (hub/delivery/queue.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from email.message import EmailMessage
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

from hub import clock
from hub.aggregates.notice import Notice
from hub.deadlines.calendar import WorkingCalendar
from hub.delivery.channel import Channel
from hub.delivery.mailer import SendFailed, SmtpMailer
from hub.delivery.message import notice_email
from hub.delivery.queue import DeliveryQueue, Pending
from hub.delivery.settings import DeliverySettings

if TYPE_CHECKING:
    from hub.bootstrap import Hub

log = logging.getLogger(__name__)


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class DeliveryWorker:
    def __init__(self, hub: Hub, settings: DeliverySettings, mailer: Mailer | None = None) -> None:
        self.hub = hub
        self.settings = settings
        self.queue = DeliveryQueue(hub.store.recorder)
        self.mailer = mailer or SmtpMailer(settings)
        self.calendar = WorkingCalendar.from_env(hub.store.env)
        # A worker without an SMTP server leaves the email deliveries to one that has one.
        self.channels = [str(Channel.INBOX)] + ([str(Channel.EMAIL)] if settings.email else [])

    def run_once(self) -> int:
        """One pass: queues the notices created since the last, then makes the deliveries that are due;
        returns how many rows it queued or settled (0: nothing to do)."""
        return self.enqueue() + self.deliver_due()

    def enqueue(self) -> int:
        queued = 0
        while True:
            start = self.queue.position()
            created, upto = self.queue.created_after(start)
            if upto == start:
                return queued
            rows = [row for notice_id in created for row in self._channels_of(notice_id)]
            self.queue.add(rows, clock.now().timestamp(), upto)
            queued += len(rows)

    def _channels_of(self, notice_id: UUID) -> list[tuple[UUID, str]]:
        notice = self.hub.deliveries.notice(notice_id)
        if notice is None:
            return []
        rows = [(notice_id, str(Channel.INBOX))]
        agency = self.hub.directory.find_agency(notice.recipient_agency) if notice.recipient_agency else None
        if agency is not None and agency.email:
            rows.append((notice_id, str(Channel.EMAIL)))
            if not self.settings.email:
                log.warning("%s has an email address but this hub has no SMTP server (HUB_SMTP_HOST)", agency.code)
        return rows

    def deliver_due(self) -> int:
        settled = 0
        now = clock.now().timestamp()
        for pending in self.queue.due(self.channels, now, self.settings.batch):
            if not self.queue.claim(pending, now, now + self.settings.lease_s):
                continue  # another worker has it
            settled += self._deliver(pending)
        return settled

    def _deliver(self, pending: Pending) -> int:
        notice = self.hub.deliveries.notice(pending.notice_id)
        channel = Channel(pending.channel)
        if notice is None or notice.delivered_by(channel) or channel in notice.undelivered:
            self.queue.done(pending)
            return 1
        if channel == Channel.INBOX:
            return self._inbox(pending, notice)
        return self._email(pending, notice)

    def _inbox(self, pending: Pending, notice: Notice) -> int:
        deliveries = self.hub.deliveries
        if notice.recipient_agency is None:
            deliveries.failed(notice.id, Channel.INBOX, f"no {notice.recipient_kind} is registered in the hub")
            deliveries.give_up(notice.id, Channel.INBOX, 1)
        elif self.hub.views.store.row(notice.recipient_agency, "notice", notice.id) is not None:
            deliveries.delivered(notice.id, Channel.INBOX, notice.recipient_agency)
        else:
            # The views have not reached the notice yet: not a failure, a look again soon.
            self.queue.later(pending, pending.failures, clock.now().timestamp() + self.settings.interval_s)
            return 0
        self.queue.done(pending)
        return 1

    def _email(self, pending: Pending, notice: Notice) -> int:
        deliveries = self.hub.deliveries
        agency = self.hub.directory.find_agency(notice.recipient_agency or "")
        if agency is None or not agency.email:
            self.queue.done(pending)  # the address was removed meanwhile: no channel to deliver through
            return 1
        try:
            self.mailer.send(notice_email(notice, agency.email, agency.name, self.settings, self.calendar))
        except SendFailed as error:
            failures = deliveries.failed(notice.id, Channel.EMAIL, str(error))
            if failures >= self.settings.attempts:
                deliveries.give_up(notice.id, Channel.EMAIL, failures)
                log.warning("notice %s: email given up after %s attempts (%s)", notice.id, failures, error)
                self.queue.done(pending)
            else:
                wait = self.settings.backoff(failures)
                self.queue.later(pending, failures, clock.now().timestamp() + wait)
                log.info("notice %s: email failed (%s), attempt %s, again in %ss", notice.id, error, failures, wait)
            return 1
        deliveries.delivered(notice.id, Channel.EMAIL, notice.recipient_agency)
        self.queue.done(pending)
        return 1

    def run(self, stop: threading.Event, on_failure: Callable[[], None] | None = None) -> None:
        """Delivers until ``stop``; a failure of the store is logged and the pass tried again."""
        from hub.kafka.running import Backoff, poll_loop

        poll_loop(
            self.run_once, stop, self.settings.interval_s, Backoff(1.0, 60.0), "deliver",
            on_failure or (lambda: None),
        )
