"""A notice: one body told of something about a child, by a rule of the manuals, and what it did about it.

Lifecycle (docs/decisions/0025): created (with its deadlines) -> acknowledged -> answered (accepted,
refused with reasons, action taken, information requested; a question may be answered by the sender
and the recipient answer again) | withdrawn by its sender. Overdue is derived from its deadlines;
the escalation of an overdue notice is an Escalation of its own (hub/aggregates/escalation.py).
Delivery through a channel (its view and inbox, its outbound topic, email) and each failure to deliver are
recorded on it, and so is giving up on a channel after its last attempt (docs/decisions/0036).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.crypto.ids import RecordIds
from hub.errors import GuardViolation


class NoticeState(StrEnum):
    CREATED = "created"
    ACKNOWLEDGED = "acknowledged"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"


class Answer(StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    ACTION_TAKEN = "action_taken"
    INFORMATION_REQUESTED = "information_requested"


OPEN = (NoticeState.CREATED, NoticeState.ACKNOWLEDGED)


def notice_id_for(ids: RecordIds, rule: str, subject_id: UUID, recipient: str, occurrence: int = 1) -> UUID:
    """One notice per rule, subject, recipient and occurrence: raising it twice is refused by the store."""
    return ids.of("notice", rule, subject_id, recipient, occurrence)


class Notice(HubAggregate):
    kind = "notice"

    @event("Created")
    def __init__(
        self,
        id: UUID,  # notice_id_for(...)
        actor: Actor,
        child_id: UUID,
        rule: str,
        title: str,
        source: str,
        subject_type: str,
        subject_id: UUID,
        sender_agency: str,
        recipient_agency: str | None,
        recipient_kind: str,
        recipient_role: str | None,
        urgent: bool,
        answers: list[str],
        ack_due_at: datetime | None,
        answer_due_at: datetime | None,
        message: str | None = None,
        plan_items: list[dict[str, Any]] | None = None,
    ) -> None:
        self.state = NoticeState.CREATED
        self.actor_user = actor.user
        self.child_id = child_id
        self.rule = rule
        self.title = title
        self.source = source
        self.subject_type = subject_type
        self.subject_id = subject_id
        self.sender_agency = sender_agency
        self.recipient_agency = recipient_agency  # None: no body of the kind is registered: undelivered
        self.recipient_kind = recipient_kind
        self.recipient_role = recipient_role
        self.urgent = urgent
        self.answers = answers
        self.ack_due_at = ack_due_at
        self.answer_due_at = answer_due_at
        # What the sender says, where the notice is its message (a supporter's recommendation, the child's
        # views: cam N45, ngo N18); sealed with the child's key like every word typed about a child.
        self.message = message
        # The items of a child's plan the notice tells of, as the plan's event stores them (typed words, codes, ISO
        # days): each page and answer writes them in its reader's language (docs/decisions/0060). Sealed as the
        # message is; a notice created before carries its items in ``message`` and none here.
        self.plan_items = plan_items or []
        self.acknowledged_at: datetime | None = None
        self.acknowledged_by: str | None = None
        self.answer: str | None = None
        self.answer_reasons: list[str] = []
        self.answer_note: str | None = None
        self.answered_at: datetime | None = None
        self.replies: list[dict[str, str]] = []
        self.deliveries: list[dict[str, str | None]] = []
        self.undelivered: list[str] = []  # channels given up after the last attempt

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    def acknowledge(self, actor: Actor) -> bool:
        """Confirms receipt; a repeat, or an acknowledgement after the answer, records nothing."""
        if self.state == NoticeState.WITHDRAWN:
            self.require_state("acknowledge", OPEN)
        if self.acknowledged_at is not None:
            return False
        self._acknowledged(actor=actor)
        return True

    @event("Acknowledged")
    def _acknowledged(self, actor: Actor) -> None:
        self.acknowledged_at = self.modified_on
        self.acknowledged_by = actor.user
        if self.state == NoticeState.CREATED:
            self.state = NoticeState.ACKNOWLEDGED

    def give_answer(self, actor: Actor, answer: Answer, reasons: list[str], note: str | None) -> None:
        if not self._reports_progress(answer):
            self.require_state("answer", OPEN)
        if str(answer) not in self.answers:
            raise GuardViolation(
                "notice-answer", "this notice is answered with one of: %(answers)s",
                values={"answers": ", ".join(self.answers)}, field="answer"
            )
        if answer == Answer.REFUSE and not [r for r in reasons if r.strip()]:
            raise GuardViolation("reasons-required", "a refusal needs its reasons", field="reasons")
        if self.acknowledged_at is None:
            self._acknowledged(actor=actor)  # an answer is also the proof of receipt
        self._answered(actor=actor, answer=str(answer), reasons=[r.strip() for r in reasons if r.strip()], note=note)

    def _reports_progress(self, answer: Answer) -> bool:
        """A body that accepted what it was asked reports what it did, as often as it does (an NGO's service
        inside a plan reports progress monthly, ngo P-13): each report is an answer of action taken."""
        return (answer == Answer.ACTION_TAKEN and self.state == NoticeState.ANSWERED
                and self.answer in (Answer.ACCEPT, Answer.ACTION_TAKEN))

    def answer_by_step(self, actor: Actor, answer: Answer, reasons: list[str]) -> None:
        """The recipient took the step the notice asks for through that step's own command (a transfer
        accepted or declined): recorded as the notice's answer, which the notice itself does not offer."""
        self.require_state("answer", OPEN)
        if self.acknowledged_at is None:
            self._acknowledged(actor=actor)
        self._answered(actor=actor, answer=str(answer), reasons=reasons, note=None)

    @event("Answered")
    def _answered(self, actor: Actor, answer: str, reasons: list[str], note: str | None) -> None:
        self.answer = answer
        self.answer_reasons = reasons
        self.answer_note = note
        self.answered_at = self.modified_on
        # A question leaves the notice open: its clock runs on (ngo §3.2) until the sender replies and the
        # recipient answers again.
        if answer != Answer.INFORMATION_REQUESTED:
            self.state = NoticeState.ANSWERED

    def reply(self, actor: Actor, text: str) -> None:
        """The sender answers the recipient's question."""
        if self.answer != Answer.INFORMATION_REQUESTED or not self.is_open:
            raise GuardViolation("no-question", "the recipient has asked nothing to reply to")
        self._replied(actor=actor, text=text)

    @event("Replied")
    def _replied(self, actor: Actor, text: str) -> None:
        self.replies.append({"at": self.modified_on.isoformat(), "by": actor.agency, "text": text})
        self.answer = None

    def withdraw(self, actor: Actor, reason: str) -> None:
        self.require_state("withdraw", OPEN)
        self._withdrawn(actor=actor, reason=reason)

    @event("Withdrawn")
    def _withdrawn(self, actor: Actor, reason: str) -> None:
        self.state = NoticeState.WITHDRAWN
        self.answer_note = reason

    def record_delivery(self, actor: Actor, channel: str, error: str | None) -> None:
        """A channel carried the notice to its recipient, or failed to (``error``: why, never its content)."""
        self._delivered(actor=actor, channel=channel, error=error)

    @event("DeliveryRecorded")
    def _delivered(self, actor: Actor, channel: str, error: str | None) -> None:
        self.deliveries.append({"at": self.modified_on.isoformat(), "channel": channel, "error": error})

    def delivered_by(self, channel: str) -> bool:
        return any(d["channel"] == channel and d["error"] is None for d in self.deliveries)

    def failures_since_delivered(self, channel: str) -> int:
        """Failed attempts through ``channel`` since it last carried the notice (or ever)."""
        failed = 0
        for delivery in self.deliveries:
            if delivery["channel"] == channel:
                failed = failed + 1 if delivery["error"] is not None else 0
        return failed

    def give_up_delivery(self, actor: Actor, channel: str, attempts: int) -> None:
        """The last attempt through ``channel`` failed: the sender and the managing body are alerted."""
        if channel not in self.undelivered:
            self._undeliverable(actor=actor, channel=channel, attempts=attempts)

    @event("Undeliverable")
    def _undeliverable(self, actor: Actor, channel: str, attempts: int) -> None:
        self.undelivered.append(channel)

    def delivery_status(self) -> dict[str, str]:
        """Each channel's state, as the sender and the managing body see it: delivered, failing (to be
        tried again) or undelivered (given up)."""
        status: dict[str, str] = {}
        for delivery in self.deliveries:
            channel = str(delivery["channel"])
            if status.get(channel) != "delivered":
                status[channel] = "delivered" if delivery["error"] is None else "failing"
        for channel in self.undelivered:
            if status.get(channel) != "delivered":
                status[channel] = "undelivered"
        return status

    def due_at(self) -> datetime | None:
        """The next deadline it has to meet: the acknowledgement's, then the answer's."""
        if not self.is_open:
            return None
        if self.acknowledged_at is None and self.ack_due_at is not None:
            return self.ack_due_at
        return self.answer_due_at if self.answer in (None, Answer.INFORMATION_REQUESTED) else None
