"""What the policy decides for a kind of body, a role and a kind of record, cached per truth of its conditions.

For one (kind of body, role, record type) the rules that can speak are fixed by the policy, and
so are the conditions they name. Which fields are granted, by which rules and to which roles,
then depends only on which of those conditions hold: that answer (most often "nothing") is worked
out once per combination of truths and reused for every record and body that gives the same
combination. A plan belongs to one policy's engine, so a new policy starts with none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from hub.privacy.conditions import Ctx
from hub.privacy.facts import Test, judged
from hub.privacy.policy_file import Condition, Denial, Grant

Truths = tuple[bool, ...]


@dataclass(frozen=True)
class Decision:
    """The fields granted (before the record says which it has), each with its rules and roles."""

    paths: frozenset[str]
    rules: dict[str, list[str]]
    roles: dict[str, list[str]]
    _shown: dict[frozenset[str], tuple[dict[str, list[str]], dict[str, list[str]]]] = field(
        default_factory=dict, compare=False, repr=False,
    )

    def shown(self, visible: frozenset[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """The rules and roles of the granted paths a record has, in path order: one pair per set of paths,
        shared by every row that shows them (nothing changes a row's rules or roles once made)."""
        if visible not in self._shown:
            ordered = sorted(visible)
            self._shown[visible] = ({p: self.rules[p] for p in ordered}, {p: self.roles[p] for p in ordered})
        return self._shown[visible]


@dataclass
class Plan:
    """The grants and denials addressed to one kind, role and record type, and the conditions they name:
    those about the child (judged once per body, hub/privacy/facts.py) and those about the record."""

    record_type: str
    grants: list[tuple[Grant, set[str], frozenset[str]]]
    denials: list[tuple[Denial, frozenset[str]]]
    about_the_child: list[Test] = field(init=False)
    about_the_record: list[Test] = field(init=False)
    # For each grant, the conditions about the child it names: a grant none of whose conditions fails
    # can show something; with no such grant the answer is "nothing", whatever the other conditions
    # and the record say.
    needs_of_grants: list[list[Test]] = field(init=False)
    _decided: dict[tuple[Truths, Truths], Decision | None] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        conditions = [c for grant, _, _ in self.grants for c in grant.when]
        conditions += [c for denial, _ in self.denials for c in (*denial.when, *denial.unless)]
        tests = self._distinct(conditions)
        self.about_the_child = [t for t in tests if not t.reads_the_record]
        self.about_the_record = [t for t in tests if t.reads_the_record]
        by_key = {t.key: t for t in self.about_the_child}
        self.needs_of_grants = [
            [by_key[key] for key in map(Test.key_of, grant.when) if key in by_key] for grant, _, _ in self.grants
        ]

    def judge_the_child(self, known: dict[str, bool], ctx: Ctx) -> Truths | None:
        """The truths of the conditions about the child, or None when they already grant nothing.

        ``known``: what is already judged about this body and dossier, by condition, and where what is
        judged here is kept. Conditions are judged lazily, grant by grant, until one grant's all hold:
        most bodies are granted nothing about most records, and that is known after a condition or two."""
        for needs in self.needs_of_grants:  # loops, not generators: this runs for every body and record type
            for test in needs:
                if not judged(test, known, ctx):
                    break
            else:
                break  # this grant's conditions about the child all hold
        else:
            return None
        return tuple([judged(test, known, ctx) for test in self.about_the_child])

    def decide(self, about_the_child: Truths, about_the_record: Truths) -> Decision | None:
        """The decision when the plan's conditions hold as told, in the order of the two lists of tests."""
        key = (about_the_child, about_the_record)
        if key not in self._decided:
            truth = dict(zip((t.key for t in self.about_the_child), about_the_child, strict=True))
            truth.update(zip((t.key for t in self.about_the_record), about_the_record, strict=True))
            self._decided[key] = self._decide(truth)
        return self._decided[key]

    def _decide(self, truth: dict[str, bool]) -> Decision | None:
        def all_hold(conditions: list[Condition]) -> bool:
            return all(truth[Test.key_of(c)] for c in conditions)

        rules: dict[str, list[str]] = {}
        roles: dict[str, set[str]] = {}
        for grant, granted_roles, fields in self.grants:
            if all_hold(grant.when):
                for path in fields:
                    rules.setdefault(path, []).append(grant.id)
                    roles.setdefault(path, set()).update(granted_roles)
        denied: set[str] = set()
        for denial, fields in self.denials:
            if all_hold(denial.when) and not (denial.unless and all_hold(denial.unless)):
                denied |= fields
        paths = frozenset(rules) - denied
        if not paths:
            return None
        return Decision(paths, {p: rules[p] for p in paths}, {p: sorted(roles[p]) for p in paths})

    def _distinct(self, conditions: Iterable[Condition]) -> list[Test]:
        tests: dict[str, Test] = {}
        for condition in conditions:
            test = Test.of(condition, self.record_type)
            tests.setdefault(test.key, test)
        return list(tests.values())

