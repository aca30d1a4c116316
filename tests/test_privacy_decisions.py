"""The engine decides "nothing" from the conditions about the child before it looks at any record
(hub/privacy/decisions.py, ``Plan.judge_the_child``): that shortcut must never hide a field the
full decision would show, nor show one it would not, for any plan of the policy and any truths."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest

from hub.aggregates.vocabulary import BodyKind
from hub.permissions import roles_of
from hub.privacy.decisions import Plan
from hub.privacy.engine import PrivacyEngine
from hub.privacy.policy_file import LoadedPolicy, packaged_policy_text

ENGINE = PrivacyEngine(LoadedPolicy(packaged_policy_text()), roles_of)
PLANS = [
    plan
    for kind in BodyKind
    for role in (None, *roles_of(kind))
    for record_type in ENGINE.file.records
    if (plan := ENGINE._plan(kind, role, record_type)).grants
]


class NotJudgedAgain:
    """A context no condition may read: every truth is already known."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"a condition was judged again ({name})")


def truth_vectors(plan: Plan, rng: random.Random) -> list[tuple[bool, ...]]:
    size = len(plan.about_the_child)
    if size <= 8:
        return list(itertools.product((False, True), repeat=size))
    return [(False,) * size, (True,) * size, *(tuple(rng.random() < 0.5 for _ in range(size)) for _ in range(256))]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.record_type)
def test_nothing_decided_early_is_what_the_whole_decision_says(plan: Plan) -> None:
    rng = random.Random(plan.record_type)
    records = list(itertools.product((False, True), repeat=len(plan.about_the_record)))
    for about_the_child in truth_vectors(plan, rng):
        known = {t.key: truth for t, truth in zip(plan.about_the_child, about_the_child, strict=True)}
        judged = plan.judge_the_child(known, NotJudgedAgain())  # type: ignore[arg-type]
        decisions = [plan.decide(about_the_child, about_the_record) for about_the_record in records]
        if judged is None:
            assert decisions == [None] * len(records)
        else:
            assert judged == about_the_child
            assert any(d is not None for d in decisions) or plan.denials
