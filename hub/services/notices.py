"""Notices answered by the bodies they are addressed to, over HTTP, Kafka or the adapters (docs/decisions/0025).

A notice is answered by its recipient alone; its sender may reply to a question and may withdraw it.
To any other body the notice does not exist (404, as for a record it may not see). A refusal is
never silent: it is a notice of its own to the sender, and to the bodies the manual names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from uuid import UUID

from hub.actor import Actor
from hub.aggregates.notice import Answer, Notice
from hub.errors import NotFound
from hub.projections.dossier_cache import DossierCache
from hub.services.aggregates import Aggregates
from hub.services.commit import Commit, Reply
from hub.services.conflicts import retry_on_conflict


# (actor, notice id, answer, reasons, note, reply) -> the notice: a service whose records an answer changes too
AnswerHandler = Callable[[Actor, UUID, Answer, list[str], str | None, Reply | None], Notice]


class NoticeService:
    def __init__(
        self, aggregates: Aggregates, dossiers: DossierCache, commit: Commit,
        answered_by: Mapping[str, AnswerHandler] | None = None,
    ) -> None:
        """``answered_by``: by rule, the service that answers such a notice with the records it changes (the
        supporter request's answer is also a step of the case, decision 0034)."""
        self.aggregates = aggregates
        self.dossiers = dossiers
        self.commit = commit
        self.answered_by = dict(answered_by or {})

    def _addressed(self, actor: Actor, notice_id: UUID) -> Notice:
        notice = self.aggregates.find(notice_id)
        if not isinstance(notice, Notice) or notice.recipient_agency != actor.agency:
            raise NotFound(f"no notice {notice_id}")
        return notice

    def _sent(self, actor: Actor, notice_id: UUID) -> Notice:
        notice = self.aggregates.find(notice_id)
        if not isinstance(notice, Notice) or notice.sender_agency != actor.agency:
            raise NotFound(f"no notice {notice_id}")
        return notice

    @retry_on_conflict
    def acknowledge(self, actor: Actor, notice_id: UUID, reply: Reply | None = None) -> Notice:
        """The recipient confirms it holds the notice; a repeat records nothing."""
        notice = self._addressed(actor, notice_id)
        notice.acknowledge(actor)
        self.commit(actor, notice, reply=reply)
        return notice

    def acknowledge_about(self, actor: Actor, referral_id: UUID) -> list[Notice]:
        """Every open notice about this referral addressed to the caller, acknowledged; none: not found."""
        referral = self.aggregates.find(referral_id)
        child_id = getattr(referral, "child_id", None)
        mine: list[Notice] = []
        if child_id is not None:
            with self.dossiers.dossier(child_id) as dossier:
                notices = dossier.notices if dossier is not None else []
                mine = [n for n in notices if n.subject_id == referral_id and n.recipient_agency == actor.agency]
        if not mine:
            raise NotFound(f"no notice about referral {referral_id}")
        return [self.acknowledge(actor, n.id) for n in mine]

    @retry_on_conflict
    def answer(
        self, actor: Actor, notice_id: UUID, answer: Answer, reasons: list[str], note: str | None,
        reply: Reply | None = None,
    ) -> Notice:
        notice = self._addressed(actor, notice_id)
        handler = self.answered_by.get(notice.rule)
        if handler is not None:
            return handler(actor, notice_id, answer, reasons, note, reply)
        notice.give_answer(actor, answer, reasons, note)
        self.commit(actor, notice, reply=reply)
        return notice

    @retry_on_conflict
    def reply_to_question(self, actor: Actor, notice_id: UUID, text: str, reply: Reply | None = None) -> Notice:
        notice = self._sent(actor, notice_id)
        notice.reply(actor, text)
        self.commit(actor, notice, reply=reply)
        return notice

    @retry_on_conflict
    def withdraw(self, actor: Actor, notice_id: UUID, reason: str, reply: Reply | None = None) -> Notice:
        notice = self._sent(actor, notice_id)
        notice.withdraw(actor, reason)
        self.commit(actor, notice, reply=reply)
        return notice
