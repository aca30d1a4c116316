"""The engine judges only the conditions that can still change a decision (hub/privacy/decisions.py, the tree
a ``Plan`` grows): what that walk decides must be what the whole decision says, with every condition judged,
for any plan of the policy and any truths; and a record's granted paths are read as the record's leaves say."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from typing import Any

import pytest

from hub.aggregates.vocabulary import BodyKind
from hub.permissions import roles_of
from hub.privacy.decisions import Plan
from hub.privacy.engine import PrivacyEngine
from hub.privacy.paths import Picks, keep, leaf_paths
from hub.privacy.policy_file import LoadedPolicy, packaged_policy_text

ENGINE = PrivacyEngine(LoadedPolicy(packaged_policy_text()), roles_of)
PLANS = [
    plan
    for kind in BodyKind
    for role in (None, *roles_of(kind))
    for record_type in ENGINE.file.records
    if (plan := ENGINE._plan(kind, role, record_type)).grants
]


def given(plan: Plan) -> Plan:
    """The plan again, its conditions answered from the context, a dict of truths by key (a fresh tree)."""
    fresh = Plan(plan.record_type, plan.grants, plan.denials, plan.catalogued)
    fresh.tests = [replace(t, check=lambda ctx, _, key=t.key: ctx[key]) for t in fresh.tests]
    fresh._root = fresh._step({})  # grown again over the answering conditions
    return fresh


def truth_vectors(plan: Plan, rng: random.Random) -> list[tuple[bool, ...]]:
    size = len(plan.tests)
    if size <= 10:
        return list(itertools.product((False, True), repeat=size))
    return [(False,) * size, (True,) * size, *(tuple(rng.random() < 0.5 for _ in range(size)) for _ in range(256))]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.record_type)
def test_what_the_walk_decides_is_what_the_whole_decision_says(plan: Plan) -> None:
    rng = random.Random(plan.record_type)
    walking = given(plan)
    for vector in truth_vectors(plan, rng):
        truth = {t.key: holds for t, holds in zip(plan.tests, vector, strict=True)}
        known: dict[str, bool] = {}
        walked = walking.decision(known, truth)  # type: ignore[arg-type]
        assert walked == plan._decide(truth)  # paths, rules and roles alike
        assert all(known[k] == truth[k] for k in known)  # only conditions about the child are kept, as judged


def test_a_decision_reads_a_record_as_its_leaves_and_keep_do() -> None:
    catalogued = frozenset({"id", "content.child.given_name", "content.child.city", "content.parents", "content.child"})
    record: dict[str, Any] = {
        "id": "r-1", "other": 1,
        "content": {"child": {"given_name": "Aziz", "family_name": "K"}, "parents": [{"name": "P"}]},
    }
    for size in range(len(catalogued) + 1):
        for granted in map(frozenset, itertools.combinations(sorted(catalogued), size)):
            kept, visible = Picks(granted, catalogued).of(record)
            expected = granted & leaf_paths(record, set(catalogued))
            assert visible == tuple(sorted(expected))
            assert kept == keep(record, set(expected))
            assert list(kept) == list(keep(record, set(expected)))  # the same order, so the same JSON
