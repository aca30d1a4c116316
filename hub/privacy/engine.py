"""Applies the policy: for one body (and optionally one role) and one record, what may it see?"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hub.aggregates.vocabulary import BodyKind
from hub.privacy.addressing import ALL_ROLES, addressed_to
from hub.privacy.audience import Audience
from hub.privacy.conditions import Ctx, holds
from hub.privacy.decisions import Plan
from hub.privacy.dossier import AgencyRef, Dossier, RecordRef
from hub.privacy.facts import Facts, Test
from hub.privacy.paths import keep, leaf_paths
from hub.privacy.policy_file import Denial, GlassRule, LoadedPolicy


@dataclass
class Disclosure:
    """What one body may see of one record, and which rule (for which roles) shows each field."""

    record_type: str
    record_id: str
    record: dict[str, Any]
    rules: dict[str, list[str]] = field(default_factory=dict)
    roles: dict[str, list[str]] = field(default_factory=dict)

    def for_role(self, role: str) -> dict[str, Any]:
        """The second filter, when the record is served: the caller's own role must be granted."""
        visible = {p for p, roles in self.roles.items() if ALL_ROLES in roles or role in roles}
        return keep(self.record, visible)


class PrivacyEngine:
    def __init__(self, policy: LoadedPolicy, roles_of: Callable[[BodyKind], list[str]]) -> None:
        self.policy = policy
        self.file = policy.file
        self.roles_of = roles_of
        self.audience = Audience(self.file)
        # Which rules speak to a kind of body and role about a kind of record, and which fields they
        # name, is fixed by the policy: worked out once per combination, not once per record shown.
        self._plans: dict[tuple[BodyKind, str | None, str], Plan] = {}
        self._concealing: dict[BodyKind, list[tuple[str, list[Test], list[Test]]]] = {}
        self._denials: dict[tuple[BodyKind, str | None, str, bool], list[tuple[Denial, frozenset[str]]]] = {}

    @property
    def version(self) -> int:
        return self.policy.version

    def _ctx(self, agency: AgencyRef, ref: RecordRef, dossier: Dossier, now: datetime) -> Ctx:
        return Ctx(agency, ref, dossier, now)

    def _denial_applies(self, denial: Denial, ctx: Ctx) -> bool:
        return all(holds(c, ctx) for c in denial.when) and not (
            denial.unless and all(holds(c, ctx) for c in denial.unless)
        )

    def conceals(self, agency: AgencyRef, dossier: Dossier, now: datetime, facts: Facts | None = None) -> str | None:
        """The id of a denial that hides this child's very existence from the body, if one applies.

        ``facts``: as for :meth:`disclose`; the conditions judged here are then not judged again there."""
        probe = RecordRef("child", dossier.child.id, {}, dossier.child)
        ctx = self._ctx(agency, probe, dossier, now)
        known = facts if facts is not None else Facts()
        if agency.kind not in self._concealing:
            self._concealing[agency.kind] = [
                (d.id, [Test.of(c, "child") for c in d.when], [Test.of(c, "child") for c in d.unless])
                for d in self.file.denials if d.conceal and addressed_to(d.to, agency.kind, None)
            ]
        return next(
            (
                denial for denial, when, unless in self._concealing[agency.kind]
                if all(known.holds(t, ctx) for t in when) and not (unless and all(known.holds(t, ctx) for t in unless))
            ),
            None,
        )

    def disclose(
        self,
        agency: AgencyRef,
        ref: RecordRef,
        dossier: Dossier,
        now: datetime,
        role: str | None = None,
        facts: Facts | None = None,
    ) -> Disclosure | None:
        """The record as this body may see it (for one role, or for any of its roles), or None.

        ``facts``: the conditions already judged about this dossier at this moment, when the caller
        shows several records of it (a view of every record for every body)."""
        plan = self._plan(agency.kind, role, ref.record_type)
        if not plan.grants:
            return None  # the policy shows this kind of record to none of these roles, whatever holds
        known = facts if facts is not None else Facts()
        decision = known.decision(plan, self._ctx(agency, ref, dossier, now))
        if decision is None:
            return None  # nothing granted: no leaf of the record can change that
        record, visible = decision.picks.of(ref.record)
        if not visible:
            return None
        rules, roles = decision.shown(visible)
        return Disclosure(ref.record_type, str(ref.record_id), record, rules, roles)

    def _plan(self, kind: BodyKind, role: str | None, record_type: str) -> Plan:
        """The grants to this kind and role that name fields of this record, in the policy's order, and the
        denials to them, with the decisions already taken for them."""
        key = (kind, role, record_type)
        if key not in self._plans:
            grants = []
            for grant in self.file.grants:
                roles = addressed_to(grant.to, kind, role)
                refs = grant.records.get(record_type)  # type: ignore[call-overload]
                fields = frozenset() if refs is None else self.file.fields_of(record_type, refs)  # type: ignore[arg-type]
                if roles and fields:
                    grants.append((grant, roles, fields))
            catalogued = frozenset(self.file.records.get(record_type, {}))  # type: ignore[call-overload]
            denials = self._denials_for(kind, role, record_type, absolute_only=False)
            self._plans[key] = Plan(record_type, grants, denials, catalogued)
        return self._plans[key]

    def _denied_fields(
        self, agency: AgencyRef, role: str | None, record_type: str, ctx: Ctx, absolute_only: bool
    ) -> set[str]:
        denied: set[str] = set()
        for denial, fields in self._denials_for(agency.kind, role, record_type, absolute_only):
            if self._denial_applies(denial, ctx):
                denied |= fields
        return denied

    def _denials_for(
        self, kind: BodyKind, role: str | None, record_type: str, absolute_only: bool
    ) -> list[tuple[Denial, frozenset[str]]]:
        """The denials to this kind and role (only the absolute ones, if asked), with the fields they withhold."""
        key = (kind, role, record_type, absolute_only)
        if key not in self._denials:
            self._denials[key] = [
                (denial, self.file.fields_of_classes(record_type, denial.classes))  # type: ignore[arg-type]
                for denial in self.file.denials
                if (denial.absolute or not absolute_only) and addressed_to(denial.to, kind, role)
            ]
        return self._denials[key]

    def glass_rules(self, kind: BodyKind, role: str, record_type: str) -> list[GlassRule]:
        """The break-the-glass rules that speak to this kind and role about this kind of record."""
        return [
            rule for rule in self.file.break_glass.rules
            if addressed_to(rule.to, kind, role) and record_type in rule.records
        ]

    def may_break_glass(self, kind: BodyKind, role: str, record_type: str) -> bool:
        return bool(self.glass_rules(kind, role, record_type))

    def glass_rule(
        self, agency: AgencyRef, role: str, ref: RecordRef, dossier: Dossier, now: datetime, ground: str
    ) -> GlassRule | None:
        """The rule that lets this body open this record on this ground now; None if none does, or if the
        child is concealed from the body (the accused body, a foreign authority): no ground lifts that."""
        if dossier.archival is not None or self.conceals(agency, dossier, now):
            return None
        ctx = self._ctx(agency, ref, dossier, now)
        return next(
            (
                rule for rule in self.glass_rules(agency.kind, role, ref.record_type)
                if ground in rule.grounds and all(holds(c, ctx) for c in rule.when)
            ),
            None,
        )

    def break_glass(
        self, agency: AgencyRef, role: str, ref: RecordRef, dossier: Dossier, now: datetime, ground: str
    ) -> Disclosure | None:
        """Everything of the record except what an absolute denial withholds, while a rule still lets the
        body open it on the ground it cited."""
        rule = self.glass_rule(agency, role, ref, dossier, now, ground)
        if rule is None:
            return None
        ctx = self._ctx(agency, ref, dossier, now)
        catalogued = set(self.file.records[ref.record_type])  # type: ignore[index]
        visible = (catalogued - self._denied_fields(agency, role, ref.record_type, ctx, absolute_only=True)) & leaf_paths(
            ref.record, catalogued
        )
        if not visible:
            return None
        return Disclosure(
            ref.record_type,
            str(ref.record_id),
            keep(ref.record, visible),
            {p: [rule.id] for p in sorted(visible)},
            {p: [role] for p in sorted(visible)},
        )
