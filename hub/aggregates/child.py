"""The child a referral is about (cam-csc-manual §2.4-2.7, §8.2).

One child may have many referrals and cases. Identity is rarely certain: names
come in several transliterations, documents are missing and ages are disputed,
so aliases and the age status are first-class.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Snapshot as LibrarySnapshot
from eventsourcing.domain import event

from hub.actor import Actor
from hub.aggregates.base import HubAggregate
from hub.aggregates.copying import Ids
from hub.aggregates.vocabulary import CabmCategory
from hub.errors import GuardViolation
from hub.geography.units import legacy_code


class AgeStatus(StrEnum):
    CLAIMED = "claimed"  # stated by the child or the referrer; believed (benefit of the doubt)
    DOCUMENTED = "documented"
    DISPUTED = "disputed"  # 8.3.12: reasonable cause to doubt the claimed age
    DETERMINED = "determined"  # after a multidisciplinary assessment, 8.3.13-8.3.16


class Child(HubAggregate):
    kind = "child"
    # v2 of a snapshot: ``involvement_ids`` (decision 0050), empty in a snapshot taken before it (0053)
    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state.setdefault("involvement_ids", [])

    class Registered(HubAggregate.Created):
        # v2: identity.city holds a unit's code (hub/geography/units.yaml); a city of earlier
        # versions is read as its unit (decision 0026). An erased identity stays erased.
        class_version = 2
        actor: Actor
        identity: dict
        date_of_birth: date | None
        stated_age: int | None
        categories: list[str]

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            identity = state.get("identity")
            if isinstance(identity, dict) and "city" in identity:
                state["identity"] = {**identity, "city": legacy_code(identity["city"])}

    class Snapshot(LibrarySnapshot):
        """The child's state at a version, stored as JSON: its set of categories and its enums come back
        as a list and strings, so they are made what the methods expect again. An attribute added to
        ``Child`` needs ``class_version`` raised and an upcast of older snapshots
        (tests/test_snapshots.py pins the attributes)."""

        @classmethod
        def take(cls, aggregate: Any) -> Any:
            snapshot = super().take(aggregate)
            snapshot.state["categories"] = sorted(snapshot.state["categories"])
            return snapshot

        def mutate(self, _: None) -> Any:
            child: Any = super().mutate(_)
            child.categories = {CabmCategory(c) for c in child.categories}
            child.state = AgeStatus(child.state)
            return child

    @event(Registered)
    def __init__(
        self,
        actor: Actor,
        identity: dict,
        date_of_birth: date | None,
        stated_age: int | None,
        categories: list[str],
    ) -> None:
        self.identity = dict(identity)
        self.aliases: list[str] = list(identity.get("aliases", []))
        self.date_of_birth = date_of_birth
        self.stated_age = stated_age
        self.stated_on = self.created_on.date()
        self.state = AgeStatus.DOCUMENTED if date_of_birth else AgeStatus.CLAIMED
        self.categories: set[CabmCategory] = {CabmCategory(c) for c in categories}
        self.referral_ids: list[UUID] = Ids()
        self.case_ids: list[UUID] = Ids()
        self.same_as: UUID | None = None  # this record turned out to be a duplicate of that child
        self.family_link_ids: list[UUID] = Ids()  # this child's sides of its family links (docs/decisions/0041)
        self.involvement_ids: list[UUID] = Ids()  # this child's sides of matters with another minor (decision 0050)
        self.expected_on: date | None = None  # not yet born: reported through the mother (0041)
        self.expected_by: str | None = None  # the body that reported the expected child

    @property
    def age_status(self) -> AgeStatus:
        return self.state

    def age_on(self, day: date) -> int | None:
        """Age in whole years; a claimed age is carried forward from when it was stated."""
        if self.date_of_birth is not None:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        if self.stated_age is not None:
            years = day.year - self.stated_on.year - ((day.month, day.day) < (self.stated_on.month, self.stated_on.day))
            return self.stated_age + years
        return None

    def add_alias(self, actor: Actor, alias: str) -> None:
        alias = alias.strip()
        if not alias:
            raise GuardViolation("alias-required", "an alias cannot be empty", field="alias")
        if alias in self.aliases:
            return
        self._alias_added(actor=actor, alias=alias)

    @event("AliasAdded")
    def _alias_added(self, actor: Actor, alias: str) -> None:
        self.aliases.append(alias)

    def dispute_age(self, actor: Actor, reason: str) -> None:
        self.require_state("dispute_age", [AgeStatus.CLAIMED, AgeStatus.DOCUMENTED])
        if not reason.strip():
            raise GuardViolation("reason-required", "an age dispute needs the reasonable cause (8.3.12)", field="reason")
        self._age_disputed(actor=actor, reason=reason.strip())

    @event("AgeDisputed")
    def _age_disputed(self, actor: Actor, reason: str) -> None:
        self.state = AgeStatus.DISPUTED

    def determine_age(
        self, actor: Actor, date_of_birth: date, method: str, benefit_of_doubt: bool
    ) -> None:
        """The outcome of the age assessment; an inconclusive one gives the benefit of the doubt (8.3.16)."""
        self.require_state("determine_age", [AgeStatus.DISPUTED])
        if not method.strip():
            raise GuardViolation("method-required", "say how the age was determined", field="method")
        self._age_determined(
            actor=actor, date_of_birth=date_of_birth, method=method.strip(), benefit_of_doubt=benefit_of_doubt
        )

    @event("AgeDetermined")
    def _age_determined(self, actor: Actor, date_of_birth: date, method: str, benefit_of_doubt: bool) -> None:
        self.date_of_birth = date_of_birth
        self.state = AgeStatus.DETERMINED

    def record_date_of_birth(self, actor: Actor, date_of_birth: date, source: str) -> None:
        """A document shows the date of birth; a disputed age is settled by assessment instead."""
        self.require_state("record_date_of_birth", [AgeStatus.CLAIMED, AgeStatus.DOCUMENTED])
        self._date_of_birth_recorded(actor=actor, date_of_birth=date_of_birth, source=source)

    @event("DateOfBirthRecorded")
    def _date_of_birth_recorded(self, actor: Actor, date_of_birth: date, source: str) -> None:
        self.date_of_birth = date_of_birth
        self.state = AgeStatus.DOCUMENTED

    def add_category(self, actor: Actor, category: CabmCategory, reason: str) -> None:
        if category in self.categories:
            return
        self._category_added(actor=actor, category=str(category), reason=reason)

    @event("CategoryAdded")
    def _category_added(self, actor: Actor, category: str, reason: str) -> None:
        self.categories.add(CabmCategory(category))

    def remove_category(self, actor: Actor, category: CabmCategory, reason: str) -> None:
        if category not in self.categories:
            raise GuardViolation("unknown-category", "the child is not recorded as %(category)s",
                                 values={"category": category}, field="category")
        if not reason.strip():
            raise GuardViolation("reason-required", "removing a category needs a reason", field="reason")
        self._category_removed(actor=actor, category=str(category), reason=reason.strip())

    @event("CategoryRemoved")
    def _category_removed(self, actor: Actor, category: str, reason: str) -> None:
        self.categories.discard(CabmCategory(category))

    @event("ReferralLinked")
    def link_referral(self, actor: Actor, referral_id: UUID) -> None:
        self.referral_ids = Ids.plus(self.referral_ids, referral_id)

    @event("CaseLinked")
    def link_case(self, actor: Actor, case_id: UUID) -> None:
        self.case_ids = Ids.plus(self.case_ids, case_id)

    @event("FamilyLinked")
    def link_family(self, actor: Actor, link_id: UUID) -> None:
        self.family_link_ids = Ids.plus(self.family_link_ids, link_id)

    @event("Involved")
    def involve(self, actor: Actor, involvement_id: UUID) -> None:
        self.involvement_ids = Ids.plus(self.involvement_ids, involvement_id)

    @event("Expected")
    def expect(self, actor: Actor, expected_on: date) -> None:
        """A child not yet born, reported through the mother (vse S4, L1056; decision 0041)."""
        self.expected_on = expected_on
        self.expected_by = actor.agency

    def confirm_birth(self, actor: Actor, date_of_birth: date, identity: dict) -> None:
        if self.expected_on is None:
            raise GuardViolation("not-expected", "the child was not recorded as expected", status=409)
        self._born(actor=actor, date_of_birth=date_of_birth, identity=identity)

    @event("Born")
    def _born(self, actor: Actor, date_of_birth: date, identity: dict) -> None:
        self.identity = {**self.identity, **identity}
        self.date_of_birth = date_of_birth
        self.state = AgeStatus.DOCUMENTED
        self.expected_on = None

    @event("Moved")
    def move_to(self, actor: Actor, unit: str) -> None:
        """The child now lives in another unit: a case handed to that region's centre (docs/decisions/0039)."""
        self.identity = {**self.identity, "city": unit}

    def identify_as(self, actor: Actor, same_as: UUID) -> None:
        """The case manager found this record to be a child the hub already knows (docs/decisions/0011)."""
        if self.case_ids:
            raise GuardViolation(
                "child-has-case", "the referral's child already has a case of its own: it is not a duplicate record",
                status=409,
            )
        if self.same_as == same_as:
            return
        if self.same_as is not None:
            raise GuardViolation("already-identified", "this record was already found to be child %(same_as)s",
                                 values={"same_as": self.same_as}, status=409)
        self._identified_as(actor=actor, same_as=same_as)

    @event("IdentifiedAs")
    def _identified_as(self, actor: Actor, same_as: UUID) -> None:
        self.same_as = same_as


class ChildFacts:
    """What a case decision needs to know about the child, read at decision time."""

    def __init__(self, age: int | None, categories: frozenset[CabmCategory]) -> None:
        self.age = age
        self.categories = categories

    @classmethod
    def of(cls, child: Child, on: date) -> ChildFacts:
        return cls(child.age_on(on), frozenset(child.categories))
