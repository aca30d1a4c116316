"""Raises the notices a command's events call for (hub/policy/notices.yaml ``produce``), to be saved with them.

For each event a command recorded, each rule raised ``on`` it is tried against the event's facts
(its own attributes, and the referral it concerns: who referred, who received it, the concern,
the urgency, the child's age); each body it names is resolved in the child's city and told by a
notice of its own, with its deadlines from the manual (in Kazakh working or calendar time). A
body the child is concealed from (the accused body, a foreign authority for an asylum-seeking
child) is never told; a kind with no registered body in the city gets an undelivered notice, so
that the sender sees nobody could be told.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from hub import clock
from hub.actor import Actor
from hub.aggregates.allegation import Allegation
from hub.aggregates.case import Case
from hub.aggregates.consent import Consent
from hub.aggregates.notice import Notice, notice_id_for
from hub.aggregates.referral import Referral
from hub.aggregates.vocabulary import BodyKind
from hub.crypto.ids import RecordIds
from hub.deadlines.calendar import WorkingCalendar
from hub.notices.facts import facts_of
from hub.notices.rules import SUPPORTER_REQUEST_RULES
from hub.notices.table import Entry, Limit, NoticeTable, Produce, Recipient
from hub.privacy.dossier import AgencyRef, Dossier
from hub.privacy.engine import PrivacyEngine
from hub.projections.agency_views import AgencyViews
from hub.projections.dossier_cache import DossierCache
from hub.services.directory import Agency, DirectoryService
from hub.services.unit_of_work import UnitOfWork

SUBJECTS: dict[type, str] = {
    Referral: "referral", Case: "case", Consent: "consent", Notice: "notice", Allegation: "allegation",
}


def raising_events(aggregates: Iterable[Any], unit: UnitOfWork | None = None) -> list[tuple[Any, Any]]:
    """The (aggregate, pending event) pairs of a command that a rule might be raised on: inside a unit of
    work, only the events no earlier command of the unit committed (those raised their notices already)."""
    subjects: list[Any] = [a for a in aggregates if isinstance(a, tuple(SUBJECTS))]
    return [(a, e) for a in subjects for e in (a.pending_events if unit is None else unit.new_events(a))]


class NoticeProducer:
    def __init__(
        self, table: NoticeTable, directory: DirectoryService, ids: RecordIds, calendar: WorkingCalendar,
        views: AgencyViews, dossiers: DossierCache,
    ) -> None:
        self.table = table
        self.directory = directory
        self.ids = ids
        self.calendar = calendar
        self.views = views
        self.dossiers = dossiers

    def rules_for(self, aggregate: Any, event: Any) -> list[tuple[Entry, Produce]]:
        return self.table.raised_on(f"{type(aggregate).__name__}.{type(event).__name__}")

    def raised(self, actor: Actor, changed: list[Any], unit: UnitOfWork | None = None) -> list[Notice]:
        """The notices the command's events raise, child by child (a message may bring several); a child's
        dossier is built only when a rule is raised on one of its events. Inside a unit of work, the dossier
        shows what the unit's earlier commands staged too."""
        children = {a.child_id for a, e in raising_events(changed, unit) if self.rules_for(a, e)}
        notices: list[Notice] = []
        for child_id in sorted(children):
            overlay = [*(unit.of_child(child_id) if unit is not None else ()), *changed]
            # A unit of work is a Kafka poll: its hundreds of new children are not held after it. The process
            # seldom hears of one again, and holding them all, the follower folded their events and every full
            # garbage collection walked them (issue #13).
            with self.dossiers.dossier(child_id, overlay, keep_new=unit is None) as dossier:
                if dossier is not None:
                    engine = self.views.engine_for(self.dossiers.fold.policy)
                    notices += self._notices(actor, [a for a in changed if getattr(a, "child_id", None) == child_id],
                                             dossier, engine, unit)
        return notices

    def _notices(
        self, actor: Actor, changed: list[Any], dossier: Dossier, engine: PrivacyEngine, unit: UnitOfWork | None,
    ) -> list[Notice]:
        now = clock.now()
        raised: dict[Any, Notice] = {}
        for aggregate, event in raising_events(changed, unit):
            rules = self.rules_for(aggregate, event)
            # the same for every rule raised on the event: gathered once, not for each of them
            facts = facts_of(event, aggregate, dossier, self._kind_of) if rules else {}
            for entry, rule in rules:
                if not rule.holds(facts):
                    continue
                to = rule.to or entry.to
                names = [rule.message] if isinstance(rule.message, str) else rule.message or []
                for kind, role, agency in self._recipients(to, aggregate, event, dossier, facts):
                    code = agency.code if agency else None
                    if code == actor.agency:
                        continue
                    if agency is not None and self._concealed(engine, agency, dossier, now):
                        code = None  # never told: the sender sees that nobody of the kind could be (0025 §4)
                    notice_id = notice_id_for(self.ids, entry.id, aggregate.id, code or kind, event.originator_version)
                    raised.setdefault(notice_id, self._notice(
                        notice_id, actor, entry, aggregate, event, kind, role, code, now, _message(event, names),
                        _plan_items(event, names, code),
                    ))
        return list(raised.values())

    def _notice(
        self, notice_id: Any, actor: Actor, entry: Entry, subject: Any, event: Any, kind: str, role: str | None,
        recipient: str | None, now: datetime, message: str | None, plan_items: list[dict[str, Any]],
    ) -> Notice:
        return Notice(
            id=notice_id, actor=actor, child_id=subject.child_id, rule=entry.id, title=entry.title,
            source=entry.lines, subject_type=SUBJECTS[type(subject)], subject_id=subject.id,
            sender_agency=actor.agency, recipient_agency=recipient, recipient_kind=kind,
            recipient_role=role or self.table.receiving_role.get(kind), urgent=entry.urgent,
            answers=entry.answers or ["acknowledge"],
            ack_due_at=self._due(now, self.table.acknowledge_limit(entry)),
            answer_due_at=self._answer_due(now, self.table.answer_limit(entry), event), message=message,
            plan_items=plan_items or None,
        )

    def _answer_due(self, now: datetime, limit: Limit | None, event: Any) -> datetime | None:
        """A limit counted back runs from the moment the event names (a meeting's time): reports before it."""
        at = vars(event).get("at")
        if limit is not None and limit.counted_back and isinstance(at, datetime):
            return self.calendar.before(at, limit.amount, limit.unit)  # type: ignore[arg-type]
        return self._due(now, limit)

    def _due(self, now: datetime, limit: Limit | None) -> datetime | None:
        return None if limit is None else self.calendar.add(now, limit.amount, limit.unit)  # type: ignore[arg-type]

    def _recipients(
        self, to: list[Recipient], subject: Any, event: Any, dossier: Dossier, facts: dict[str, Any]
    ) -> Iterator[tuple[str, str | None, Agency | None]]:
        """(kind, role, agency or None when none of the kind is registered in the child's city)."""
        for recipient in to:
            for kind in [recipient.kind] if isinstance(recipient.kind, str) else recipient.kind:
                if kind in ("referrer", "sender"):
                    # The referring bodies; or, for a notice's answer, the body that sent the notice.
                    codes = facts.get("referrers", []) if kind == "referrer" else [subject.sender_agency]
                    for code in codes:
                        agency = self.directory.find_agency(code)
                        if agency is not None:
                            yield str(agency.kind), recipient.role, agency
                elif kind == "on_refusal":
                    for told in self.table.by_id(subject.rule).on_refusal if isinstance(subject, Notice) else []:
                        yield told, None, self._of_city(told, dossier)
                elif kind == "invitees":  # the bodies a meeting named (Case.MeetingScheduled and what follows it)
                    for code in self._invitees(recipient, subject, event):
                        agency = self.directory.find_agency(code)
                        if agency is not None and (recipient.only is None or agency.kind in recipient.only):
                            yield str(agency.kind), recipient.role, agency
                elif kind == "supporter":  # the NGO that accepted the supporter request on the case (cam N08)
                    for code in _supporting(subject, dossier):
                        agency = self.directory.find_agency(code)
                        if agency is not None:
                            yield str(agency.kind), recipient.role, agency
                elif kind == "attended_school":  # the school the referral names as the child's, never another
                    school = facts.get("attended_school")
                    agency = self.directory.find_agency(school) if school else None
                    if agency is not None and school != facts.get("about_agency"):
                        yield str(agency.kind), recipient.role, agency
                elif kind == "managing":
                    # the body managing the case the event is on: the supporter writes to its case manager
                    for case in (c for c in dossier.cases if c.id == subject.id):
                        agency = self.directory.find_agency(case.managing_agency)
                        if agency is not None:
                            yield str(agency.kind), recipient.role, agency
                elif kind == "responsible":  # the bodies a plan's items name as responsible (decision 0052)
                    for code in sorted({i["responsible"] for i in vars(event).get("plan_items") or []}):
                        agency = self.directory.find_agency(code)
                        if agency is not None:
                            yield str(agency.kind), recipient.role, agency
                elif kind == "named":
                    yield from self._named(vars(event).get("recipient"), dossier, recipient.role)
                elif kind in ("employer_lead", "investigator"):
                    # An allegation's own bodies, chosen when it was reported (decision 0035): never "the
                    # safeguarding lead of the city", which may answer for another body.
                    code = subject.lead_agency if kind == "employer_lead" else subject.investigator_agency
                    agency = self.directory.find_agency(code) if code else None
                    yield str(agency.kind) if agency else "safeguarding_lead", recipient.role, agency
                else:
                    yield kind, recipient.role, self._of_city(kind, dossier)

    @staticmethod
    def _invitees(recipient: Recipient, subject: Any, event: Any) -> list[str]:
        if recipient.meeting is None:
            return list(vars(event).get("invitees", []))
        meetings = getattr(subject, "meetings", {}).values()
        return sorted({code for m in meetings if m["meeting"] == recipient.meeting for code in m["invitees"]})

    def _named(self, named: str | None, dossier: Dossier, role: str | None) -> Iterator[tuple[str, str | None, Agency | None]]:
        """The body an event names (a legal basis's or a consent's recipient): an agency, or a kind of body."""
        agency = self.directory.find_agency(named) if named else None
        if agency is not None:
            yield str(agency.kind), role, agency
        elif named in set(BodyKind):
            yield str(named), role, self._of_city(str(named), dossier)

    def _of_city(self, kind: str, dossier: Dossier) -> Agency | None:
        if kind in self.table.national:  # one body for the whole country (UNICEF's focal point)
            found = [a for a in self.directory.agencies() if a.kind == kind]
            return found[0] if found else None
        if dossier.city is None:
            return None
        found = self.directory.agencies_of(BodyKind(kind), dossier.city)
        return found[0] if found else None

    def _kind_of(self, code: str) -> str | None:
        agency = self.directory.find_agency(code)
        return str(agency.kind) if agency else None

    def _concealed(self, engine: PrivacyEngine, agency: Agency, dossier: Dossier, now: datetime) -> bool:
        return engine.conceals(AgencyRef(agency.code, agency.kind, agency.unit), dossier, now) is not None


ITEMS = ("plan_items", "own_items")  # a rule's message names for a plan's items: every one, or the recipient's own


def _message(event: Any, names: list[str]) -> str | None:
    """The text the notice carries: the event's attributes the rule names, those present, one after another."""
    texts = [vars(event).get(name) for name in names if name not in ITEMS]
    return "\n\n".join(t for t in texts if t) or None


def _plan_items(event: Any, names: list[str], recipient: str | None) -> list[dict[str, Any]]:
    """A plan's items as the event stores them, not as text: each reader is shown them in its own language
    (docs/decisions/0060). ``own_items``: only those whose responsible body is the recipient (decision 0052)."""
    items = vars(event).get("plan_items") or []
    if "plan_items" in names:
        return list(items)
    return [i for i in items if i["responsible"] == recipient] if "own_items" in names else []


def _supporting(case: Any, dossier: Dossier) -> list[str]:
    """The NGOs that accepted the supporter request on this case (their independent supporter is a member)."""
    return sorted({
        n.recipient_agency for n in dossier.notices
        if n.rule in SUPPORTER_REQUEST_RULES and n.subject_id == case.id and n.answer == "accept" and n.recipient_agency
    })
