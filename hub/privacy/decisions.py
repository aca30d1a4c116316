"""What the policy decides for a kind of body, a role and a kind of record, found by judging only what matters.

For one (kind of body, role, record type) the rules that can speak are fixed by the policy, and
so are the conditions they name. Which fields are granted, by which rules and to which roles,
then depends only on which of those conditions hold, and often on only a few of them: once a
condition of a grant fails, the grant's other conditions no longer matter; once every grant has
failed, nothing does ("nothing" is most bodies' answer about most records). So each plan grows,
as bodies and records meet it, a tree of the conditions still worth judging: a step judges one
condition and leads, by its truth, to the next step, or to the decision once every rule that can
change it is settled. Walking it costs a dict lookup per condition judged, and the decision at
the end of a path is worked out once and shared by every body and record that take that path.
A plan belongs to one policy's engine, so a new policy starts with none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from hub.privacy.conditions import Ctx
from hub.privacy.facts import Test
from hub.privacy.paths import Picks
from hub.privacy.policy_file import Condition, Denial, Grant

Truth = dict[str, bool]  # the conditions judged so far, by key


@dataclass(frozen=True)
class Decision:
    """The fields granted (before the record says which it has), each with its rules and roles."""

    paths: frozenset[str]
    rules: dict[str, list[str]]
    roles: dict[str, list[str]]
    picks: Picks = field(compare=False, repr=False)  # how the granted paths are read from a record
    _shown: dict[tuple[str, ...], tuple[dict[str, list[str]], dict[str, list[str]]]] = field(
        default_factory=dict, compare=False, repr=False,
    )

    def shown(self, visible: tuple[str, ...]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """The rules and roles of the granted paths a record has (``visible``, in path order): one pair per
        set of paths, shared by every row that shows them (nothing changes a row's rules or roles once made)."""
        pair = self._shown.get(visible)
        if pair is None:
            pair = self._shown[visible] = ({p: self.rules[p] for p in visible}, {p: self.roles[p] for p in visible})
        return pair


@dataclass(slots=True)  # its attributes are read at every step of every walk
class _Step:
    """Where the truths judged so far lead: a condition still to judge, or (``test`` None) the decision."""

    truth: Truth
    test: Test | None = None
    decision: Decision | None = None
    if_true: _Step | None = None  # grown when a walk first takes it
    if_false: _Step | None = None


@dataclass(frozen=True)
class _Rule:
    """A grant or a denial as the tree reads it: the keys of its conditions and the fields it speaks of."""

    when: tuple[str, ...]
    unless: tuple[str, ...]
    fields: frozenset[str]


@dataclass
class Plan:
    """The grants and denials addressed to one kind, role and record type, the conditions they name
    (``tests``: those about the child are judged once per body, hub/privacy/facts.py; those that read the
    record, for each record) and the tree of what to judge (module docstring)."""

    record_type: str
    grants: list[tuple[Grant, set[str], frozenset[str]]]
    denials: list[tuple[Denial, frozenset[str]]]
    catalogued: frozenset[str]  # the record type's catalogued fields
    tests: list[Test] = field(init=False)
    _grants: list[_Rule] = field(init=False)
    _denials: list[_Rule] = field(init=False)
    _root: _Step = field(init=False)

    def __post_init__(self) -> None:
        conditions = [c for grant, _, _ in self.grants for c in grant.when]
        conditions += [c for denial, _ in self.denials for c in (*denial.when, *denial.unless)]
        self.tests = self._distinct(conditions)
        self._grants = [_Rule(_keys(grant.when), (), fields) for grant, _, fields in self.grants]
        self._denials = [_Rule(_keys(denial.when), _keys(denial.unless), fields) for denial, fields in self.denials]
        self._root = self._step({})

    def decision(self, known: Truth, ctx: Ctx) -> Decision | None:
        """The decision for the body and record of ``ctx``. ``known``: the conditions about the child already
        judged for this body and dossier, where those judged here are kept; a condition that reads the
        record is judged for each record (loops, not generators: this runs for every body and record)."""
        step = self._root
        while step.test is not None:
            test = step.test
            truth: bool | None
            if test.reads_the_record:
                truth = test.check(ctx, test.argument)
            else:
                truth = known.get(test.key)
                if truth is None:
                    truth = known[test.key] = test.check(ctx, test.argument)
            following = step.if_true if truth else step.if_false
            if following is None:
                following = self._step({**step.truth, test.key: bool(truth)})
                if truth:
                    step.if_true = following
                else:
                    step.if_false = following
            step = following
        return step.decision

    def _step(self, truth: Truth) -> _Step:
        """The step the truths ``truth`` lead to: the first condition of a rule still unsettled that can change
        the decision, grants first, in the policy's order; or the decision, once none is left."""
        granting = [g for g in self._grants if _all(g.when, truth) is not False]
        if not granting:
            return _Step(truth)  # every grant failed: nothing, whatever else holds
        fields = frozenset().union(*(g.fields for g in granting))
        unsettled = [g.when for g in granting if _all(g.when, truth) is None]
        unsettled += [
            d.when + d.unless for d in self._denials if d.fields & fields and _applies(d, truth) is None
        ]
        pending = next((key for keys in unsettled for key in keys if key not in truth), None)
        if pending is None:
            return _Step(truth, decision=self._decide(truth))
        return _Step(truth, test=next(t for t in self.tests if t.key == pending))

    def _decide(self, truth: Truth) -> Decision | None:
        """The decision when the conditions judged hold as told. A condition not judged is taken to fail: it
        settles nothing here (``_step`` judges every condition of a rule that can change the decision)."""
        def all_hold(keys: tuple[str, ...]) -> bool:
            return all(truth.get(k, False) for k in keys)

        rules: dict[str, list[str]] = {}
        roles: dict[str, set[str]] = {}
        for (grant, granted_roles, fields), rule in zip(self.grants, self._grants, strict=True):
            if all_hold(rule.when):
                for path in fields:
                    rules.setdefault(path, []).append(grant.id)
                    roles.setdefault(path, set()).update(granted_roles)
        denied: set[str] = set()
        for rule in self._denials:
            if all_hold(rule.when) and not (rule.unless and all_hold(rule.unless)):
                denied |= rule.fields
        paths = frozenset(rules) - denied
        if not paths:
            return None
        return Decision(paths, {p: rules[p] for p in paths}, {p: sorted(roles[p]) for p in paths}, Picks(paths, self.catalogued))

    def _distinct(self, conditions: Iterable[Condition]) -> list[Test]:
        tests: dict[str, Test] = {}
        for condition in conditions:
            test = Test.of(condition, self.record_type)
            tests.setdefault(test.key, test)
        return list(tests.values())


def _keys(conditions: Iterable[Condition]) -> tuple[str, ...]:
    return tuple(Test.key_of(c) for c in conditions)


def _all(keys: tuple[str, ...], truth: Truth) -> bool | None:
    """Whether all these conditions hold: None while that is not settled by those judged."""
    settled: bool | None = True
    for key in keys:
        holds = truth.get(key)
        if holds is False:
            return False
        if holds is None:
            settled = None
    return settled


def _applies(denial: _Rule, truth: Truth) -> bool | None:
    """Whether the denial applies (its conditions all hold, unless those of its ``unless`` all do): None while
    that is not settled."""
    when = _all(denial.when, truth)
    unless = _all(denial.unless, truth) if denial.unless else False
    if when is False or unless is True:
        return False
    if when is True and unless is False:
        return True
    return None
