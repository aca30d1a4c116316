"""The child's identity record (cam-csc-manual §2.4, §2.6 age-disputed children 8.3.12-8.3.16, §8.2 categories).

Age status: claimed (stated, believed: the benefit of the doubt) or documented (a date of birth);
either may be disputed on reasonable cause (8.3.12); a disputed age is determined by a
multidisciplinary assessment (8.3.13-8.3.16), which settles it.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hub.aggregates.consent import ConsentPurpose
from hub.aggregates.vocabulary import CabmCategory, Signatory
from hub.errors import NotFound
from tests.builders import GTA_OFFICER, INSPECTOR, MANAGER, OTHER_CENTRE, SCHOOL_PSYCHOLOGIST
from tests.scenario import illegal, open_case, refused, store_position, submit

DOB = date(2011, 9, 1)  # 14 on 2026-03-02
DOCUMENTED = {"child__stated_age": None, "child__date_of_birth": date(2012, 5, 1)}


def dispute(app, cid):
    return app.children.dispute_age(MANAGER, cid, "a DMS officer doubts he is a child: he carries a work permit")


def determine(app, cid):
    return app.children.determine_age(MANAGER, cid, DOB, "multidisciplinary assessment", True)


def record_dob(app, cid):
    return app.children.record_date_of_birth(MANAGER, cid, DOB, "birth certificate from Tashkent")


COMMANDS = {"dispute_age": dispute, "determine_age": determine, "record_date_of_birth": record_dob}

# (status, command) -> status reached; every other pair is illegal.
ALLOWED = {
    ("claimed", "dispute_age"): "disputed",
    ("claimed", "record_date_of_birth"): "documented",
    ("documented", "dispute_age"): "disputed",
    ("documented", "record_date_of_birth"): "documented",
    ("disputed", "determine_age"): "determined",
}

PATHS = {
    "claimed": ({}, []),
    "documented": (DOCUMENTED, []),
    "disputed": ({}, [dispute]),
    "determined": ({}, [dispute, determine]),
}


def child_in(app, status: str):
    content, steps = PATHS[status]
    child_id = open_case(app, **content).child_id
    for step in steps:
        step(app, child_id)
    assert app.children.child_for(MANAGER, child_id).age_status == status
    return child_id


@pytest.mark.parametrize("status", list(PATHS))
def test_each_age_status_refuses_the_commands_it_does_not_allow(app, status):
    child_id = child_in(app, status)
    for command, attempt in COMMANDS.items():
        if (status, command) not in ALLOWED:
            with illegal(app, status, command):
                attempt(app, child_id)
    assert app.children.child_for(MANAGER, child_id).age_status == status


@pytest.mark.parametrize(("status", "command"), list(ALLOWED), ids=[f"{s}-{c}" for s, c in ALLOWED])
def test_age_transition(app, frozen, status, command):
    child_id = child_in(app, status)
    COMMANDS[command](app, child_id)
    child = app.children.child_for(MANAGER, child_id)
    assert child.age_status == ALLOWED[(status, command)]
    if command != "dispute_age":
        assert child.date_of_birth == DOB
        assert child.age_on(frozen.now().date()) == 14


def test_age_sources(app, frozen):
    today = frozen.now().date()
    claimed = app.children.child_for(MANAGER, open_case(app, child__stated_age=14).child_id)
    assert (claimed.age_status, claimed.age_on(today)) == ("claimed", 14)
    # A claimed age is carried forward from the day it was stated.
    assert claimed.age_on(today + timedelta(days=364)) == 14
    assert claimed.age_on(today + timedelta(days=365)) == 15
    documented = app.children.child_for(MANAGER, open_case(app, **DOCUMENTED).child_id)
    assert (documented.age_status, documented.age_on(today)) == ("documented", 13)
    unknown = app.children.child_for(MANAGER, open_case(app, child__stated_age=None).child_id)
    assert (unknown.age_status, unknown.age_on(today)) == ("claimed", None)


@pytest.mark.parametrize(
    ("command", "attempt", "rule"),
    [
        ("dispute_age", lambda app, cid: app.children.dispute_age(MANAGER, cid, "  "), "reason-required"),
        ("determine_age", lambda app, cid: app.children.determine_age(MANAGER, cid, DOB, "  ", True), "method-required"),
    ],
    ids=["dispute-without-reason", "determination-without-method"],
)
def test_age_guards(app, command, attempt, rule):
    child_id = child_in(app, "disputed" if command == "determine_age" else "claimed")
    with refused(app, rule=rule):
        attempt(app, child_id)
    COMMANDS[command](app, child_id)


def test_the_determined_age_decides_the_rules(app, frozen):
    """8.3.16 and §2.6: eligibility runs on the resolved age (here the consent age of 16)."""
    child_id = child_in(app, "disputed")
    alone = dict(purpose=ConsentPurpose.LEGAL_SERVICES, recipient="ngo-rodnik", signatories=[Signatory.CHILD],
                 child_mature=True, method="signature")
    with refused(app, rule="consent-signatories"):  # claimed 14
        app.consents.give_consent(MANAGER, child_id, **alone)
    app.children.determine_age(MANAGER, child_id, date(2009, 12, 31), "multidisciplinary; inconclusive", True)
    app.consents.give_consent(MANAGER, child_id, **alone)  # 16 by the determined date of birth
    assert app.children.child_for(MANAGER, child_id).age_on(frozen.now().date()) == 16


# -- aliases and categories --------------------------------------------------------------------------


def test_aliases(app):
    child_id = open_case(app, child__aliases=["Azizbek"]).child_id
    assert app.children.child_for(MANAGER, child_id).aliases == ["Azizbek"]
    app.children.add_alias(MANAGER, child_id, "  Aziz Karimov ")
    assert app.children.child_for(MANAGER, child_id).aliases == ["Azizbek", "Aziz Karimov"]
    before = store_position(app)
    app.children.add_alias(MANAGER, child_id, "Aziz Karimov")  # known already: nothing new to record
    assert store_position(app) == before
    with refused(app, rule="alias-required"):
        app.children.add_alias(MANAGER, child_id, "   ")
    assert app.children.child_for(MANAGER, child_id).aliases == ["Azizbek", "Aziz Karimov"]


def test_categories(app):
    child_id = open_case(app, child__categories=["unaccompanied"]).child_id
    app.children.add_category(MANAGER, child_id, CabmCategory.TRAFFICKING_VICTIM, "brought to work in a market")
    assert app.children.child_for(MANAGER, child_id).categories == {CabmCategory.UNACCOMPANIED, CabmCategory.TRAFFICKING_VICTIM}
    before = store_position(app)
    app.children.add_category(MANAGER, child_id, CabmCategory.UNACCOMPANIED, "again")
    assert store_position(app) == before
    with refused(app, rule="unknown-category"):
        app.children.remove_category(MANAGER, child_id, CabmCategory.REFUGEE, "never was")
    with refused(app, rule="reason-required"):
        app.children.remove_category(MANAGER, child_id, CabmCategory.UNACCOMPANIED, "  ")
    app.children.remove_category(MANAGER, child_id, CabmCategory.UNACCOMPANIED, "the father was traced and joined him")
    assert app.children.child_for(MANAGER, child_id).categories == {CabmCategory.TRAFFICKING_VICTIM}


# -- privacy: who sees and who changes the child ----------------------------------------------------------


def test_the_referrer_sees_the_child_but_only_the_case_manager_changes_it(app):
    referral = submit(app)
    assert app.children.child_for(INSPECTOR, referral.child_id).id == referral.child_id
    with refused(app, NotFound):  # no case yet: nobody manages the child
        app.children.add_alias(MANAGER, referral.child_id, "Aziz")
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    app.referrals.accept_referral(MANAGER, referral.id)
    changes = [
        lambda actor: app.children.add_alias(actor, referral.child_id, "Aziz"),
        lambda actor: app.children.record_date_of_birth(actor, referral.child_id, DOB, "passport"),
        lambda actor: app.children.add_category(actor, referral.child_id, CabmCategory.REFUGEE, "granted"),
        lambda actor: app.children.remove_category(actor, referral.child_id, CabmCategory.UNACCOMPANIED, "traced"),
        lambda actor: app.children.dispute_age(actor, referral.child_id, "the passport looks forged"),
    ]
    for actor in (INSPECTOR, OTHER_CENTRE, GTA_OFFICER):
        for change in changes:
            with refused(app, NotFound):
                change(actor)
    for outsider in (OTHER_CENTRE, SCHOOL_PSYCHOLOGIST, GTA_OFFICER):
        with pytest.raises(NotFound) as hidden:
            app.children.child_for(outsider, referral.child_id)
        assert str(hidden.value) == f"no child {referral.child_id}"
    with pytest.raises(NotFound):  # a referral id is not a child id
        app.children.child_for(MANAGER, referral.id)
    for change in changes:
        change(MANAGER)
    assert app.children.child_for(MANAGER, referral.child_id).age_status == "disputed"

