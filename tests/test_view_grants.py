"""The pairs of rules and roles view rows share (docs/decisions/0066): one name for one pair, whichever process
wrote it."""

from __future__ import annotations

from hub.projections.view_grants import Grants

RULES = {"content.child.given_name": ["P-03a"], "state": ["P-03a", "P-07"], "id": ["P-03a"]}
ROLES = {"content.child.given_name": ["social_worker"], "state": ["*"], "id": ["*"]}


def test_a_pair_is_named_alike_in_whatever_order_a_decision_listed_its_fields() -> None:
    # a decision lists its fields in a set's order, which hash randomisation changes from process to process
    one, other = Grants(), Grants()
    named = one.name(RULES, ROLES)
    assert other.name(dict(reversed(RULES.items())), dict(reversed(ROLES.items()))) == named
    assert one.pairs == other.pairs


def test_different_pairs_have_different_names() -> None:
    grants = Grants()
    assert grants.name(RULES, ROLES) != grants.name(RULES, {**ROLES, "state": ["manager"]})
    assert len(grants.pairs) == 2
