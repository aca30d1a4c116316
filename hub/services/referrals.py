"""Submitting referrals and deciding on them (the receiving side of T01-T03)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from hub import clock, iin
from hub.actor import Actor
from hub.aggregates.allegation import Allegation
from hub.aggregates.archival import archival_id_for
from hub.aggregates.case import Case
from hub.aggregates.child import Child, ChildFacts
from hub.aggregates.referral import REDIRECT_TARGETS, Referral, referral_id_for
from hub.aggregates.referral_content import ChildIdentity, ReferralContent
from hub.aggregates.vocabulary import (
    CASE_MANAGING_BODIES,
    SERVICE_PROVIDING_BODIES,
    WITHOUT_PARENTAL_CARE,
    BodyKind,
    NgoService,
)
from hub.errors import GuardViolation, InvalidInput, NotFound
from hub.routing import NO_ROUTE, Facts, Route, accused_body_route, named_route, route
from hub.services.aggregates import Aggregates
from hub.services.allegation_intake import AllegationDetails, AllegationIntake
from hub.services.answers import AnswerService
from hub.services.commit import Commit, Reply
from hub.services.conflicts import retry_on_conflict
from hub.services.directory import DirectoryService
from hub.services.duplicates import SAME_CHILD, Candidate, DuplicateService
from hub.transcodings import built_once


class Submission:
    def __init__(self, referral: Referral, created: bool, allegation: Allegation | None = None) -> None:
        self.referral = referral
        self.created = created
        self.allegation = allegation  # raised with a new referral that accuses an agency's staff (decision 0035)


@dataclass(frozen=True)
class ReferralRequest:
    """One referral to submit, as a value, so that several can be submitted in one transaction."""

    content: ReferralContent
    idempotency_key: str | None = None
    child_id: UUID | None = None
    recipient_agency: str | None = None
    allegation: AllegationDetails | None = None  # the reporter's own account, when it accuses staff


# json.dumps(..., sort_keys=True, separators=(",", ":")), without building its encoder for each submission
# (a Kafka message is one): hub/transcodings.py.
_canonical = built_once(json.JSONEncoder(sort_keys=True, separators=(",", ":")))


def _fingerprint(content: dict[str, Any], child_id: UUID | None, recipient: str | None) -> str:
    """``content``: the referral's content as JSON, as its event stores it."""
    canonical = _canonical({"content": content, "child_id": str(child_id) if child_id else None, "to": recipient})
    return hashlib.sha256(canonical.encode()).hexdigest()


# Given the new submissions and the records they change, the further records a joint submission saves with them.
Join = Callable[[list[Submission], list[Any]], list[Any]]


class ReferralService:
    def __init__(
        self, aggregates: Aggregates, directory: DirectoryService, duplicates: DuplicateService, commit: Commit,
        answers: AnswerService, allegations: AllegationIntake,
    ) -> None:
        self.aggregates = aggregates
        self.directory = directory
        self.duplicates = duplicates
        self.commit = commit
        self.answers = answers
        self.allegations = allegations

    def submit_referral(
        self,
        actor: Actor,
        content: ReferralContent,
        idempotency_key: str | None = None,
        child_id: UUID | None = None,
        recipient_agency: str | None = None,
        reply: Reply | None = None,
    ) -> Submission:
        request = ReferralRequest(content, idempotency_key, child_id, recipient_agency)
        return self._submit(actor, [request], reply)[0]

    def submit_referrals(
        self, actor: Actor, requests: Sequence[ReferralRequest], join: Join | None = None
    ) -> list[Submission]:
        """Several referrals stored in one transaction: all of them, or none.

        A request whose key was already used returns the referral it made then. ``join`` adds the records
        that tie new referrals together (family links, a survivor's report), saved in the same transaction.
        """
        return self._submit(actor, requests, None, join)

    def receipts(self, actor: Actor, submissions: list[Submission]) -> list[dict[str, Any]]:
        """What the submitter may see of each referral of a joint submission, each read recorded at once."""
        judged = [self.answers.judge(actor, s.referral, [s.referral], "submit") for s in submissions]
        self.aggregates.save(*(read for _, read in judged))
        return [shown for shown, _ in judged if shown is not None]

    def _submit(
        self, actor: Actor, requests: Sequence[ReferralRequest], reply: Reply | None, join: Join | None = None
    ) -> list[Submission]:
        """Idempotent by the store's uniqueness, not by looking first: a referral's id comes from its key,
        so a repeat fails to append and only then is the first one read, and its content compared."""
        known: dict[UUID, Referral] = {}
        for _ in range(5):
            submissions, changed = self.prepare_referrals(actor, requests, known)
            if join is not None and all(s.created for s in submissions):
                changed = [*changed, *join(submissions, changed)]
            subjects = [s.referral for s in submissions]
            try:
                self.commit(actor, subjects[0], *subjects[1:], *changed, reply=reply)
                return submissions
            except IntegrityError:
                # A repeat of a key (ours, or a parallel one that won), or a child changed meanwhile: look again.
                known = {s.referral.id: found for s in submissions if (found := self._stored(s.referral)) is not None}
        raise GuardViolation("submission-conflict", "the submission kept conflicting; send it again")

    def _stored(self, referral: Referral) -> Referral | None:
        """The referral already stored under this one's id, if the same submission made it."""
        existing = self.aggregates.find(referral.id)
        if not isinstance(existing, Referral):
            return None
        if existing.fingerprint != referral.fingerprint:
            raise InvalidInput(
                "Idempotency-Key",
                "this Idempotency-Key was already used for a different referral",
                problem_type="idempotency-key-reused",
            )
        return existing

    def prepare_referrals(
        self, actor: Actor, requests: Sequence[ReferralRequest], known: Mapping[UUID, Referral] | None = None
    ) -> tuple[list[Submission], list[Any]]:
        """Builds the referrals and links their children, saving nothing: the caller saves ``changed`` at once."""
        keys = [r.idempotency_key for r in requests if r.idempotency_key is not None]
        if len(keys) != len(set(keys)):
            raise InvalidInput(
                "Idempotency-Key",
                "each referral of one submission needs its own key",
                problem_type="idempotency-key-reused",
            )
        children: dict[UUID, Child] = {}
        submissions = [self.prepare_referral(actor, request, children, known or {}) for request in requests]
        return submissions, [*children.values(), *(s.allegation for s in submissions if s.allegation is not None)]

    def prepare_referral(
        self, actor: Actor, request: ReferralRequest, children: dict[UUID, Child],
        known: Mapping[UUID, Referral] | None = None,
    ) -> Submission:
        """One referral built (or, for a key ``known`` to have been used, found again), unsaved.

        ``children`` holds the children changed so far by the same transaction; the
        child this referral links to is added to it, and the caller saves them all.
        """
        referral_id = referral_id_for(self.aggregates.ids, actor.agency, request.idempotency_key)
        replay = (known or {}).get(referral_id)
        if replay is not None:
            return Submission(replay, created=False)
        content = request.content
        stored_content = content.model_dump(mode="json")  # once, for the fingerprint and the event
        fingerprint = _fingerprint(stored_content, request.child_id, request.recipient_agency)
        if content.concern.about_agency is not None:
            self.directory.agency(content.concern.about_agency, field="concern.about_agency")
        if content.child.school_agency is not None:
            self._school(content.child.school_agency)
        _check_iin(content.child)
        child = self._child_for(actor, content, request.child_id, children)
        recipient, chosen = self._route(actor, content, child, request.recipient_agency)
        referral = Referral(
            id=referral_id,
            actor=actor,
            child_id=child.id,
            recipient_agency=recipient,
            routing_reason=f"{chosen.rule}: {chosen.reason}",
            routing_rule=chosen.rule,
            content=stored_content,
            fingerprint=fingerprint,
        )
        referral.made_from(content)  # its notices read the content next: not rebuilt from the dict
        child.link_referral(actor=actor, referral_id=referral.id)
        allegation = (
            self.allegations.raise_for(actor, referral, request.allegation)
            if content.concern.about_agency is not None else None
        )
        return Submission(referral, created=True, allegation=allegation)

    def _child_for(
        self, actor: Actor, content: ReferralContent, child_id: UUID | None, children: dict[UUID, Child]
    ) -> Child:
        if child_id is not None:
            # A child the caller may not see is answered as one that does not exist, and is not attached to:
            # naming it must neither confirm it nor give the referral's recipient a way into its file.
            if child_id not in children and not self.answers.knows_child(actor, child_id):
                raise InvalidInput("child_id", "unknown child %(child_id)s",
                                   values={"child_id": child_id}, problem_type="unknown-child")
            known = children.get(child_id) or self.aggregates.load(Child, child_id, "child")
            while known.same_as is not None:  # a duplicate record: the referral is about the child it duplicates
                known = children.get(known.same_as) or self.aggregates.load(Child, known.same_as, "child")
            if self.aggregates.exists(archival_id_for(self.aggregates.ids, known.id)):
                # Its views are gone (decision 0019): a referral added to it would reach no one.
                raise GuardViolation(
                    "archived-file", "child %(child_id)s's file was archived when the child came of age (D53)",
                    values={"child_id": child_id},
                    field="child_id", status=409,
                )
            return children.setdefault(known.id, known)
        identity = content.child
        child = Child(
            actor=actor,
            identity=identity.model_dump(
                mode="json",
                include={"given_name", "family_name", "patronymic", "aliases", "sex", "nationality", "languages", "city",
                         "iin"},
            ),
            date_of_birth=identity.date_of_birth,
            stated_age=identity.stated_age,
            categories=[str(c) for c in identity.categories],
        )
        children[child.id] = child
        return child

    def _school(self, code: str) -> None:
        """The school a referral names is a registered school: its head is told of the pupil (notices.yaml)."""
        if self.directory.agency(code, field="child.school_agency").kind != BodyKind.SCHOOL:
            raise InvalidInput("child.school_agency", "%(code)r is not a school",
                               values={"code": code}, problem_type="not-a-school")

    def _route(
        self, actor: Actor, content: ReferralContent, child: Child, named: str | None
    ) -> tuple[str, Route]:
        """The receiving agency and the rule that chose it (policy/routing.yaml, decision 0011); the bodies told
        of it are hub/policy/notices.yaml's (hub/services/notice_production.py)."""
        place = content.child.city
        facts = Facts(
            place=place,
            age=child.age_on(clock.now().date()),
            concern=content.concern.category,
            emergency=content.emergency,
            referrer=self.directory.agency(actor.agency).kind,
            without_parental_care=bool(
                {str(c) for c in [*child.categories, content.concern.category]} & set(WITHOUT_PARENTAL_CARE)
            ),
        )
        alleged = content.concern.about_agency
        chosen: Route | None
        if named is not None:
            recipient = self.directory.agency(named, field="recipient_agency")
            if recipient.kind not in REDIRECT_TARGETS:
                # A named body sees the whole referral: only bodies a referral may go to can be named,
                # never an embassy, an auditor or the hub's operators.
                raise InvalidInput(
                    "recipient_agency",
                    "a referral is not sent to a body of kind %(kind)s; it may be sent to: %(kinds)s",
                    values={"kind": recipient.kind, "kinds": ", ".join(sorted(REDIRECT_TARGETS))},
                    problem_type="recipient-not-receiving",
                )
            if named == alleged:
                raise InvalidInput(
                    "recipient_agency", "a concern about an agency's staff is not sent to that agency",
                    problem_type="recipient-is-subject",
                )
            chosen = named_route(recipient.kind)
        else:
            chosen = route(facts)
            candidates = self.directory.agencies_of(chosen.kind, place) if chosen is not None and chosen.kind else []
            if alleged is not None and any(c.code == alleged for c in candidates):
                chosen = accused_body_route()
                candidates = self.directory.agencies_of(chosen.kind, place) if chosen.kind else []
            if chosen is not None and chosen.rule == NO_ROUTE:
                raise InvalidInput("child.city", chosen.reason, problem_type="no-route")
            if chosen is None or not candidates:
                raise InvalidInput(
                    "child.city",
                    "no competent body is registered for a child in %(place)s; name recipient_agency", values={"place": place},
                    problem_type="no-route",
                )
            recipient = candidates[0]
        return recipient.code, chosen

    # -- the recipient's decisions --

    def referral_for(self, actor: Actor, referral_id: UUID) -> Referral:
        """A referral as its referrer or its recipient may see it; to anyone else it does not exist."""
        referral = self.aggregates.load(Referral, referral_id, "referral")
        if actor.agency not in (referral.referrer_agency, referral.recipient_agency):
            raise NotFound(f"no referral {referral_id}")
        return referral

    def _as_recipient(self, actor: Actor, referral_id: UUID) -> Referral:
        referral = self.referral_for(actor, referral_id)
        if actor.agency != referral.recipient_agency:
            raise GuardViolation("recipient-only", "only the receiving agency decides on a referral", status=403)
        return referral

    @retry_on_conflict
    def acknowledge_referral(
        self, actor: Actor, referral_id: UUID, note: str | None = None, reply: Reply | None = None
    ) -> Referral:
        referral = self._as_recipient(actor, referral_id)
        referral.acknowledge(actor, note=note)
        self.commit(actor, referral, reply=reply)
        return referral

    @retry_on_conflict
    def decline_referral(
        self, actor: Actor, referral_id: UUID, reasons: list[str], reply: Reply | None = None
    ) -> Referral:
        referral = self._as_recipient(actor, referral_id)
        referral.decline(actor, reasons=reasons)
        self.commit(actor, referral, reply=reply)
        return referral

    @retry_on_conflict
    def refuse_service_consent(
        self, actor: Actor, referral_id: UUID, service: NgoService, note: str | None, reply: Reply | None = None
    ) -> Referral:
        """The NGO records that the child or parent did not consent to its service: the referrer is told (ngo N09,
        N10)."""
        referral = self._as_recipient(actor, referral_id)
        referral.refuse_service_consent(actor, str(service), note)
        self.commit(actor, referral, reply=reply)
        return referral

    @retry_on_conflict
    def redirect_referral(
        self, actor: Actor, referral_id: UUID, to_agency: str, reason: str, reply: Reply | None = None
    ) -> Referral:
        """The referral ends here as redirected; the other body receives an onward referral to answer."""
        referral = self._as_recipient(actor, referral_id)
        target = self.directory.agency(to_agency, field="to_agency")
        onward = referral.redirect(actor, target.code, target.kind, reason, self.aggregates.ids)
        child = self.aggregates.load(Child, referral.child_id, "child")
        child.link_referral(actor=actor, referral_id=onward.id)
        self.commit(actor, referral, onward, child, reply=reply)
        return referral

    @retry_on_conflict
    def withdraw_referral(self, actor: Actor, referral_id: UUID, reason: str, reply: Reply | None = None) -> Referral:
        referral = self.referral_for(actor, referral_id)
        referral.withdraw(actor, reason=reason)
        self.commit(actor, referral, reply=reply)
        return referral

    @retry_on_conflict
    def withdraw_family_wish(self, actor: Actor, referral_id: UUID, note: str, reply: Reply | None = None) -> Referral:
        referral = self.referral_for(actor, referral_id)
        referral.withdraw_family_wish(actor, note=note)
        self.commit(actor, referral, reply=reply)
        return referral

    @retry_on_conflict
    def accept_referral(self, actor: Actor, referral_id: UUID, reply: Reply | None = None) -> Case | Referral:
        """A CAM/CSC allocates the referral to a case (the child's open case, or a new one, a readmission if one
        closed) and gets the case; an NGO or the GTA accepts it for its own service and gets the referral."""
        referral = self._as_recipient(actor, referral_id)
        kind = self.directory.agency(actor.agency).kind
        if kind in SERVICE_PROVIDING_BODIES:
            referral.accept(actor, case_id=None)
            self.commit(actor, referral, reply=reply)
            return referral
        child = self.aggregates.load(Child, referral.child_id, "child")
        Case.check_can_open(ChildFacts.of(child, clock.now().date()))
        if kind not in CASE_MANAGING_BODIES:
            raise GuardViolation(
                "case-managing-body",
                "only a CAM or CSC opens a child protection case, and an NGO or the GTA accepts for its own service;"
                " redirect or decline the referral instead",
                status=403,
            )
        cases = [self.aggregates.load(Case, case_id, "case") for case_id in child.case_ids]
        open_cases = [c for c in cases if c.is_open]
        if open_cases:
            case = open_cases[-1]
            if case.managing_agency != actor.agency:
                raise GuardViolation(
                    "one-case-manager",
                    "the child already has an open case managed by %(managing_agency)s",
                    values={"managing_agency": case.managing_agency},
                    status=409,
                )
            referral.accept(actor, case_id=case.id)
            case.attach_referral(actor, referral_id=referral.id)
            self.commit(actor, case, referral, reply=reply)
            return case
        # A new case opens: first the duplicate check, whose result is recorded on the referral.
        found = [c for c in self.duplicates.duplicates_of(actor.agency, child) if c.suggests == SAME_CHILD]
        duplicates = {
            "candidates": [str(c.child_id) for c in found if c.child_id is not None],
            "managed_elsewhere": sorted({str(c.managed_by) for c in found if c.child_id is None}),
        }
        previous = cases[-1] if cases else None
        base = str(child.id).split("-")[0].upper()
        number = f"{base}.{len(cases)}" if cases else base
        case = Case(
            actor=actor,
            child_id=child.id,
            referral_id=referral.id,
            managing_agency=actor.agency,
            case_number=number,
            previous_case_id=previous.id if previous else None,
        )
        referral.accept(actor, case_id=case.id, duplicates=duplicates)
        child.link_case(actor=actor, case_id=case.id)
        self.commit(actor, case, referral, child, reply=reply)
        return case

    # -- duplicates (docs/decisions/0011) --

    def duplicate_candidates(self, actor: Actor, referral_id: UUID) -> list[Candidate]:
        """Children the hub knows who may be the referral's child, as its recipient may learn of them."""
        referral = self._as_recipient(actor, referral_id)
        return self.duplicates.duplicates_of(actor.agency, self.aggregates.load(Child, referral.child_id, "child"))

    @retry_on_conflict
    def link_to_child(self, actor: Actor, referral_id: UUID, child_id: UUID, reply: Reply | None = None) -> Referral:
        """Before acceptance, the recipient says the referral is about a child it already knows.

        The referral ends as linked; the returned referral, about the known child, carries it on
        in the same state. The record made at submission is marked as a duplicate of that child.
        """
        referral = self._as_recipient(actor, referral_id)
        known = self.duplicates.known_child(actor.agency, child_id)
        duplicate = self.aggregates.load(Child, referral.child_id, "child")
        linked = referral.link_to_child(actor, known.id, self.aggregates.ids)
        duplicate.identify_as(actor, same_as=known.id)
        known.link_referral(actor=actor, referral_id=linked.id)
        self.commit(actor, linked, referral, duplicate, known, reply=reply)
        return linked


def _check_iin(child: ChildIdentity) -> None:
    """An IIN that contradicts the date of birth or the sex given is another person's, or one of them was typed
    wrong: refused, saying which but never quoting it (decision 0051)."""
    contradicted = iin.disagreement(child.iin, child.date_of_birth, child.sex) if child.iin else None
    if contradicted is not None:
        what = contradicted.replace("_", " ")
        raise InvalidInput(
            "child.iin", "the IIN is of a person with another %(what)s than the one given", values={"what": what},
            problem_type=f"iin-{contradicted.replace('_', '-')}",
        )
