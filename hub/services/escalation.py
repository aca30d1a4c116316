"""Missed deadlines become events: each overdue clock raises one escalation, told to the bodies concerned.

A case's or a referral's missed deadline is told to the body that must act and to the bodies
hub/policy/deadlines.yaml names; a notice's, to its recipient, its sender, the centres managing the
child, and the recipient's superior bodies (hub/policy/notices.yaml ``escalation_ladder``, or the
notice's own ``escalate_to`` where the manual names others).
"""

from __future__ import annotations

from eventsourcing.persistence import IntegrityError

from hub import clock
from hub.actor import HUB_SYSTEM
from hub.aggregates.case_vocabulary import CaseState
from hub.aggregates.escalation import Escalation, escalation_id_for
from hub.aggregates.notice import Notice
from hub.aggregates.referral import Referral
from hub.aggregates.vocabulary import BodyKind
from hub.deadlines.clock import Clock, ClockStatus
from hub.deadlines.table import packaged_table
from hub.inbox.builder import open_subjects
from hub.inbox.clocks import clocks_of
from hub.inbox.item import utc_iso
from hub.notices.table import packaged_notices
from hub.privacy.dossier import Dossier
from hub.projections.agency_views import AgencyViews
from hub.services.aggregates import Aggregates
from hub.services.directory import DirectoryService


class EscalationService:
    def __init__(self, aggregates: Aggregates, directory: DirectoryService, views: AgencyViews) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self.views = views

    def escalate_overdue(self) -> list[Escalation]:
        """One pass: raises an escalation for every clock that is overdue and not yet escalated."""
        self.views.catch_up()
        now = clock.now()
        raised = []
        for child_id in self.views.inbox.children_due_before(utc_iso(now)):
            dossier = self.views.fold.dossier(child_id)
            if dossier is None:
                continue
            known = {e.id for e in dossier.escalations}
            kinds = self.views.agency_kinds()
            for agency, _, subject in open_subjects(dossier):
                clocks = clocks_of(subject, dossier, now, kinds.get(agency))
                for overdue in (c for c in clocks if c.status == ClockStatus.OVERDUE):
                    escalation_id = escalation_id_for(self.aggregates.ids, subject.id, overdue.id, overdue.occurrence)
                    if escalation_id in known:
                        continue
                    notify = [agency] + self._told(subject, overdue, dossier)
                    escalation = Escalation(
                        id=escalation_id, actor=HUB_SYSTEM, child_id=child_id, subject_type=overdue.subject,
                        subject_id=subject.id, deadline_id=overdue.id, title=overdue.title, rule=overdue.rule,
                        due_at=overdue.due_at, notify=sorted(set(notify)),
                    )
                    try:
                        self.aggregates.save(escalation)
                    except IntegrityError:
                        continue  # another watcher raised it a moment ago
                    raised.append(escalation)
        return raised

    def _told(self, subject: object, overdue: Clock, dossier: Dossier) -> list[str]:
        """Who is told besides the body that must act."""
        if not isinstance(subject, Notice):
            named = packaged_table().by_id(overdue.id).escalate_to
            # "referrer": the body that sent the referral a recipient left unanswered (NGO-D03, decision 0034)
            referrer = [subject.referrer_agency] if "referrer" in named and isinstance(subject, Referral) else []
            return referrer + self._bodies_of([k for k in named if k != "referrer"], dossier)
        notices = packaged_notices()
        managers = [c.managing_agency for c in dossier.cases if c.state != CaseState.CLOSED]
        told = [subject.sender_agency, *managers]
        told_kinds = {subject.recipient_kind} | {str(a.kind) for a in map(self.directory.find_agency, told) if a}
        kinds = []
        for step in notices.escalation_of(notices.by_id(subject.rule), subject.recipient_kind):
            kind, _, role = step.partition(":")
            # "cam:director" names a person of a body already told (the recipient, the sender, the
            # managing centre), who reads that body's inbox; a kind alone names its bodies in the city.
            if not (role and kind in told_kinds):
                kinds.append(kind)
        return [*told, *self._bodies_of(kinds, dossier)]

    def _bodies_of(self, kinds: list[str], dossier: Dossier) -> list[str]:
        city = dossier.city
        if city is None:
            return []
        return [a.code for kind in kinds for a in self.directory.agencies_of(BodyKind(kind), city)]
