"""Family links between children's records: recorded, taken back, and read where both records are seen.

Siblings have separate files and separate referrals (cam L5058-5064, L5705-5709; ngo L2066), and a
child mother's infant a case of its own (vse S4, L1056): a link ties the files together without
merging them (vse §8.4 item 4). A link is shown to a body only if the policy shows it each side in
that side's own child's dossier (privacy.yaml ``family_link`` grants), so a body that sees one child
and not the other learns nothing of the other, not even that a link exists (docs/decisions/0041).
Links are judged when read, as every record kept in two children's files (hub/services/two_files.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from hub import clock
from hub.actor import Actor
from hub.aggregates.child import Child
from hub.aggregates.family_link import FamilyLink, LinkState, Relation, Side, other_side
from hub.errors import GuardViolation, InvalidInput, NotFound
from hub.projections.agency_views import AgencyViews
from hub.projections.dossier_cache import DossierCache
from hub.records.family_link import family_link_record
from hub.services.aggregates import Aggregates
from hub.services.answers import AnswerService
from hub.services.commit import Commit, Reply
from hub.services.conflicts import retry_on_conflict
from hub.services.reads import ReadService
from hub.services.referrals import Join, Submission
from hub.services.two_files import TwoFiles


def link_sides(actor: Actor, child: Child, other: Child, relation: Relation, other_is: Side, reason: str) -> list[Any]:
    """Both sides of a new link, with the two children that now list them; unsaved, for the caller's transaction."""
    if child.id == other.id:
        raise InvalidInput("other_child_id", "a child is not linked to itself", problem_type="self-link")
    here_id, there_id = uuid4(), uuid4()
    here = FamilyLink(id=here_id, actor=actor, child_id=child.id, other_child_id=other.id, counterpart_id=there_id,
                      relation=str(relation), other_is=str(other_is), reason=reason)
    there = FamilyLink(id=there_id, actor=actor, child_id=other.id, other_child_id=child.id, counterpart_id=here_id,
                       relation=str(relation), other_is=str(other_side(relation, other_is)), reason=reason)
    child.link_family(actor=actor, link_id=here_id)
    other.link_family(actor=actor, link_id=there_id)
    return [here, there, child, other]


class FamilyService:
    def __init__(
        self, aggregates: Aggregates, answers: AnswerService, reads: ReadService, views: AgencyViews,
        dossiers: DossierCache, commit: Commit,
    ) -> None:
        self.aggregates = aggregates
        self.answers = answers
        self.commit = commit
        self.pairs = TwoFiles("family_link", FamilyLink, family_link_record, aggregates, reads, views, dossiers)

    def _known(self, actor: Actor, child_id: UUID, field: str) -> Child:
        """A child the caller may see; any other is answered as one that does not exist."""
        if not self.answers.knows_child(actor, child_id):
            raise NotFound(f"no child {child_id}") if field == "child_id" else InvalidInput(
                field, "unknown child %(child_id)s", values={"child_id": child_id}, problem_type="unknown-child")
        return self.aggregates.load(Child, child_id, "child")

    def _current(self, child: Child, other_id: UUID) -> FamilyLink | None:
        sides = [self.aggregates.load(FamilyLink, i, "family link") for i in child.family_link_ids]
        return next((s for s in sides if s.other_child_id == other_id and s.state == LinkState.LINKED), None)

    @retry_on_conflict
    def link(
        self, actor: Actor, child_id: UUID, other_child_id: UUID, relation: Relation, other_is: Side, reason: str
    ) -> dict[str, Any]:
        """A body that may see both children says how they are related, and why it thinks so."""
        child = self._known(actor, child_id, "child_id")
        other = self._known(actor, other_child_id, "other_child_id")
        if self._current(child, other.id) is not None:
            raise GuardViolation("already-linked", "child %(child_id)s is already linked to %(other_child_id)s",
                                 values={"child_id": child_id, "other_child_id": other_child_id}, status=409)
        if relation == Relation.MOTHER_INFANT and other_is == Side.RELATIVE:
            raise InvalidInput("other_is", "say whether the other child is the mother or the infant",
                               problem_type="mother-or-infant")
        sides = link_sides(actor, child, other, relation, other_is, reason)
        self.commit(actor, *sides)
        return self._shown(actor, child.id, sides[0])

    @retry_on_conflict
    def remove(self, actor: Actor, child_id: UUID, other_child_id: UUID, reason: str) -> dict[str, Any]:
        """A wrong link taken back, both sides, by an event that says who and why."""
        child = self._known(actor, child_id, "child_id")
        here = self._current(child, other_child_id)
        if here is None or not self.answers.knows_child(actor, other_child_id):
            raise NotFound(f"no link between {child_id} and {other_child_id}")
        there = self.aggregates.load(FamilyLink, here.counterpart_id, "family link")
        here.remove(actor, reason)
        there.remove(actor, reason)
        self.commit(actor, here, there)
        return self._shown(actor, child.id, here)

    @retry_on_conflict
    def expect(self, actor: Actor, mother_id: UUID, expected_on: date, reason: str) -> dict[str, Any]:
        """A child not yet born, reported through its mother (a child, or an adult with a record of her own):
        a record of its own, linked mother-infant; the link is answered, naming the expected child."""
        mother = self._known(actor, mother_id, "child_id")
        if expected_on < clock.now().date():
            raise InvalidInput("expected_on", "an expected child is due today or later", problem_type="expected-in-the-past")
        child = Child(actor=actor, identity={"city": mother.identity.get("city")}, date_of_birth=None, stated_age=None,
                      categories=[])
        child.expect(actor=actor, expected_on=expected_on)
        sides = link_sides(actor, child, mother, Relation.MOTHER_INFANT, Side.MOTHER, reason)
        self.commit(actor, *sides)
        return self._shown(actor, child.id, sides[0])

    @retry_on_conflict
    def confirm_birth(
        self, actor: Actor, child_id: UUID, date_of_birth: date, identity: dict[str, Any], reply: Reply | None = None
    ) -> Child:
        """The expected child is born: its record becomes a child's like any other, its link to the mother kept."""
        child = self._known(actor, child_id, "child_id")
        child.confirm_birth(actor, date_of_birth, identity)
        self.commit(actor, child, reply=reply)
        return child

    def links_of(self, actor: Actor, child_id: UUID) -> list[dict[str, Any]]:
        """The child's links the caller is shown both sides of; each link shown is recorded as read."""
        child = self._known(actor, child_id, "child_id")
        return self.pairs.shown_all(actor, [self.aggregates.load(FamilyLink, i, "family link") for i in child.family_link_ids])

    def _shown(self, actor: Actor, child_id: UUID, link: FamilyLink) -> dict[str, Any]:
        judged = self.pairs.judged(actor, link)
        if judged is None:
            raise NotFound(f"no link of child {child_id}")
        record, read = judged
        self.aggregates.save(read)
        return record


def children_among(changed: list[Any]) -> dict[UUID, Child]:
    return {a.id: a for a in changed if isinstance(a, Child)}


def siblings_linked(actor: Actor, relation: Relation, reason: str) -> Join:
    """Links every two children of one joint submission (a referral about several siblings at once)."""

    def join(submissions: list[Submission], changed: list[Any]) -> list[Any]:
        children = children_among(changed)
        kids = [children[s.referral.child_id] for s in submissions]
        return [side for i, a in enumerate(kids) for b in kids[i + 1:]
                for side in link_sides(actor, a, b, relation, Side.RELATIVE, reason)[:2]]

    return join
