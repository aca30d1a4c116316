"""An adult survivor's report, and the referrals it raises for the minor siblings still at risk (decision 0041).

The survivor is 18 or over, so her report is no referral (cam L58, ``L58-adult``): it is a
SurvivorReport bound to a person record of her own. Each minor sibling living with the alleged abuser
gets a referral of its own (vse §3.1: "a ConcernRaised for each minor sibling should go to
Guardianship/CMA even though the complainant is now 18"), routed and timed as any referral (an
under-3 to the GTA, the others to the CAM/CSC), all in the report's one transaction. The siblings are
linked to one another and to her record; her account stays in her report, which only the body that
took it sees (privacy.yaml SURVIVOR-REPORT), so the siblings' school and centre never read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import uuid4

from hub import clock
from hub.actor import Actor
from hub.aggregates.child import Child
from hub.aggregates.family_link import Relation, Side
from hub.aggregates.survivor_report import SurvivorReport
from hub.birth import ADULTHOOD, age_on
from hub.errors import GuardViolation, InvalidInput
from hub.services.aggregates import Aggregates
from hub.services.answers import AnswerService
from hub.services.family import children_among, link_sides
from hub.services.referrals import ReferralRequest, ReferralService, Submission

SURVIVOR_RULE = "L58-adult-survivor"


@dataclass(frozen=True)
class Survivor:
    """Who reports: a person record of her own, as the child records are kept."""

    identity: dict[str, Any]  # given_name, family_name, patronymic, sex, city
    date_of_birth: date | None
    stated_age: int | None
    account: str
    abuser: dict[str, str | None]  # name, relationship


class SurvivorService:
    def __init__(self, aggregates: Aggregates, referrals: ReferralService, answers: AnswerService) -> None:
        self.aggregates = aggregates
        self.referrals = referrals
        self.answers = answers

    def report(
        self, actor: Actor, survivor: Survivor, siblings: list[ReferralRequest], to_survivor: Relation,
        among_siblings: Relation, idempotency_key: str | None,
    ) -> tuple[SurvivorReport, list[Submission], bool]:
        """The report, the siblings' referrals, and whether they are new (a repeated key finds the first)."""
        _of_age(survivor)
        if not siblings:
            raise InvalidInput("siblings", "name the minor siblings the concern is for", problem_type="no-siblings")
        report_id = self.aggregates.ids.of("survivor-report", actor.agency, idempotency_key) if idempotency_key else uuid4()
        made: list[SurvivorReport] = []

        def join(submissions: list[Submission], changed: list[Any]) -> list[Any]:
            children = children_among(changed)
            kids = [children[s.referral.child_id] for s in submissions]
            person = Child(actor=actor, identity=survivor.identity, date_of_birth=survivor.date_of_birth,
                           stated_age=survivor.stated_age, categories=[])
            report = SurvivorReport(
                id=report_id, actor=actor, child_id=person.id, account=survivor.account, abuser=survivor.abuser,
                sibling_referral_ids=[s.referral.id for s in submissions], sibling_child_ids=[k.id for k in kids],
            )
            made.append(report)
            reason = "named in an adult survivor's report as living with the person she accuses"
            links = [side for kid in kids for side in link_sides(actor, person, kid, to_survivor, Side.RELATIVE, reason)[:2]]
            links += [side for i, a in enumerate(kids) for b in kids[i + 1:]
                      for side in link_sides(actor, a, b, among_siblings, Side.RELATIVE, reason)[:2]]
            return [report, person, *links]

        submissions = self.referrals.submit_referrals(actor, siblings, join)
        if made:
            return made[-1], submissions, True
        return self.aggregates.load(SurvivorReport, report_id, "survivor report"), submissions, False

    def shown(self, actor: Actor, report: SurvivorReport) -> dict[str, Any]:
        """What the reporting body may see of the report it just made, the read recorded."""
        visible, read = self.answers.judge(actor, report, [report], "submit")
        self.aggregates.save(read)
        return visible or {}


def _of_age(survivor: Survivor) -> None:
    """A person under 18 is a child: her own report is a referral about her, with every protection it brings."""
    today = clock.now().date()
    age = age_on(survivor.date_of_birth, today) if survivor.date_of_birth is not None else survivor.stated_age
    if age is None or age < ADULTHOOD:
        raise GuardViolation(
            SURVIVOR_RULE, "a survivor's report is an adult's (18 or over): a child's own report is a referral about"
            " the child (POST /v1/referrals)", field="survivor",
        )
