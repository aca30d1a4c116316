"""One transaction per command: its events, the keys of new children, their chain links, and the
record of what its caller was shown, all saved together (group commit may still merge commands)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Recording

from hub.actor import Actor
from hub.errors import NotFound
from hub.services.aggregates import Aggregates
from hub.services.answers import AnswerService, record_type_of
from hub.services.notice_production import NoticeProducer


@dataclass
class Reply:
    """The caller of a command asks to see the record it changed: judged and recorded with the command."""

    purpose: str
    shown: dict[str, Any] | None = None
    record_type: str = ""
    record_id: UUID | None = None
    position: int | None = field(default=None)  # the log position the command wrote up to

    def record(self) -> dict[str, Any]:
        """What the caller may see; a record it may not see is not found, as one that does not exist."""
        if self.shown is None:
            raise NotFound(f"no {self.record_type.replace('_', ' ')} {self.record_id}")
        return self.shown


class Commit:
    def __init__(self, aggregates: Aggregates, answers: AnswerService, notices: NoticeProducer) -> None:
        self.aggregates = aggregates
        self.answers = answers
        self.notices = notices

    def __call__(self, actor: Actor, subject: Any, *also: Any, reply: Reply | None = None) -> list[Recording]:
        """Saves ``subject`` and ``also`` in one transaction; with a ``reply``, the caller's read of
        ``subject`` is judged on them as they now stand and saved with them. A subject with nothing
        to save (a repeated submission) still answers, and its read is still recorded."""
        changed = [subject, *also]
        # the notices the command's events call for, saved with them
        changed += self.notices.raised(actor, changed, self.aggregates.unit())
        read = []
        if reply is not None:
            reply.shown, access = self.answers.judge(actor, subject, changed, reply.purpose)
            reply.record_type, reply.record_id = record_type_of(subject), subject.id
            read = [access]
        if not read and not any(aggregate.pending_events for aggregate in changed):
            return []  # nothing happened: no transaction
        recordings = self.aggregates.save(*changed, *read)
        if reply is not None and recordings:
            reply.position = max(r.notification.id for r in recordings)
        return recordings
