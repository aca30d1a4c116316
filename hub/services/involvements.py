"""A child harmed by another minor: the alleged perpetrator recorded with his own protection needs (decision 0050).

Bullying and peer violence have a child on both sides (violence-system-evaluation S7, L3193-3207; §8 item 3:
"perpetrators are ... older peers"). On a referral about the harmed child that it sees, a school, the juvenile
inspection or the centre records that the alleged perpetrator is a minor: he gets a referral of his own for
his protection needs, routed as any referral (an existing child named by id, or a new record), and the two
children's files are tied by an involvement kept in two sides, one in each file (hub/aggregates/involvement.py),
all in one transaction. Each referral says no more of the other child than that another minor is in the matter
(``another_minor``); the pair is shown only where the policy shows a body both sides (hub/services/two_files.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from hub import clock
from hub.actor import Actor
from hub.aggregates.child import Child
from hub.aggregates.involvement import Involvement, OtherMinor, Setting, Step
from hub.aggregates.referral import Referral
from hub.errors import InvalidInput, NotFound
from hub.projections.agency_views import AgencyViews
from hub.projections.dossier_cache import DossierCache
from hub.records.involvement import involvement_record
from hub.services.aggregates import Aggregates
from hub.services.answers import AnswerService
from hub.services.commit import Commit
from hub.services.conflicts import retry_on_conflict
from hub.services.family import children_among
from hub.services.reads import ReadService
from hub.services.referrals import ReferralRequest, ReferralService, Submission
from hub.services.two_files import TwoFiles


class InvolvementService:
    def __init__(
        self, aggregates: Aggregates, referrals: ReferralService, answers: AnswerService, reads: ReadService,
        views: AgencyViews, dossiers: DossierCache, commit: Commit,
    ) -> None:
        self.aggregates = aggregates
        self.referrals = referrals
        self.answers = answers
        self.commit = commit
        self.pairs = TwoFiles("involvement", Involvement, involvement_record, aggregates, reads, views, dossiers)

    def record_perpetrator(
        self, actor: Actor, referral_id: UUID, perpetrator: ReferralRequest, setting: Setting, reason: str,
    ) -> tuple[Submission, Involvement]:
        """On the harmed child's referral, the alleged perpetrator, a minor, referred for his own protection needs.

        A repeat with the perpetrator's referral's Idempotency-Key finds the first recording and makes nothing new.
        """
        harmed = self._seen_referral(actor, referral_id)
        if perpetrator.child_id == harmed.child_id:
            raise InvalidInput("child_id", "the alleged perpetrator is another child", problem_type="same-child")
        key = perpetrator.idempotency_key
        here_id = self.aggregates.ids.of("involvement", actor.agency, key) if key else uuid4()
        there_id = self.aggregates.ids.of("involvement/other", actor.agency, key) if key else uuid4()

        def join(submissions: list[Submission], changed: list[Any]) -> list[Any]:
            victim = self.aggregates.load(Referral, referral_id, "referral")  # afresh on each attempt
            his = submissions[0].referral
            perpetrator_child = children_among(changed)[his.child_id]
            victim_child = self.aggregates.load(Child, victim.child_id, "child")
            sides = [
                Involvement(id=here_id, actor=actor, child_id=victim_child.id, other_child_id=perpetrator_child.id,
                            counterpart_id=there_id, other_minor=str(OtherMinor.ALLEGED_PERPETRATOR),
                            setting=str(setting), reason=reason, other_referral_id=his.id),
                Involvement(id=there_id, actor=actor, child_id=perpetrator_child.id, other_child_id=victim_child.id,
                            counterpart_id=here_id, other_minor=str(OtherMinor.HARMED), setting=str(setting),
                            reason=reason, other_referral_id=victim.id),
            ]
            for side, child, referral in zip(sides, (victim_child, perpetrator_child), (victim, his), strict=True):
                child.involve(actor=actor, involvement_id=side.id)
                referral.involve_minor(actor=actor, another_minor=str(side.other_minor))
            return [*sides, victim_child, victim]

        [submission] = self.referrals.submit_referrals(actor, [perpetrator], join)
        return submission, self.aggregates.load(Involvement, here_id, "involvement")

    @retry_on_conflict
    def record_step(
        self, actor: Actor, child_id: UUID, involvement_id: UUID, step: Step, note: str, until: date | None
    ) -> dict[str, Any]:
        """An S7 step taken for this child, on this child's side: a body records it where it sees both sides."""
        side = self._side(actor, child_id, involvement_id)
        if self.pairs.judged(actor, side) is None:
            raise NotFound(f"no involvement {involvement_id} of child {child_id}")
        if (step == Step.MONITORING) != (until is not None):
            raise InvalidInput("until", "monitoring, and only monitoring, runs until a date", problem_type="monitoring-until")
        if until is not None and until <= clock.now().date():
            raise InvalidInput("until", "monitoring runs until a later day", problem_type="monitoring-until")
        side.record_step(actor=actor, step=str(step), note=note, until=until)
        self.commit(actor, side)
        return self.shown(actor, side)

    def of(self, actor: Actor, child_id: UUID) -> list[dict[str, Any]]:
        """The child's sides the caller is shown both halves of; each shown is recorded as read."""
        if not self.answers.knows_child(actor, child_id):
            raise NotFound(f"no child {child_id}")
        child = self.aggregates.load(Child, child_id, "child")
        return self.pairs.shown_all(actor, [self.aggregates.load(Involvement, i, "involvement") for i in child.involvement_ids])

    def of_referral(self, actor: Actor, referral_id: UUID) -> list[dict[str, Any]]:
        """The sides of the child a referral is about, as ``of`` shows them, for a body that sees the referral and
        perhaps not its child's id (the juvenile inspection reads a referral's concern, not its ids)."""
        return self.of(actor, self._seen_referral(actor, referral_id).child_id)

    def shown(self, actor: Actor, side: Involvement) -> dict[str, Any]:
        """What the caller is shown of the pair, the read recorded; nothing, to a body not shown both sides."""
        judged = self.pairs.judged(actor, side)
        if judged is None:
            return {}
        record, read = judged
        self.aggregates.save(read)
        return record

    def _seen_referral(self, actor: Actor, referral_id: UUID) -> Referral:
        """The harmed child's referral, if the caller sees it; any other is answered as one that does not exist."""
        referral = self.aggregates.load(Referral, referral_id, "referral")
        visible, _ = self.answers.judge(actor, referral, [referral], "read")
        if not visible:
            raise NotFound(f"no referral {referral_id}")
        return referral

    def _side(self, actor: Actor, child_id: UUID, involvement_id: UUID) -> Involvement:
        if not self.answers.knows_child(actor, child_id):
            raise NotFound(f"no child {child_id}")
        child = self.aggregates.load(Child, child_id, "child")
        if involvement_id not in child.involvement_ids:
            raise NotFound(f"no involvement {involvement_id} of child {child_id}")
        return self.aggregates.load(Involvement, involvement_id, "involvement")
