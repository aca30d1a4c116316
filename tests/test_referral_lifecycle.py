"""The referral lifecycle (cam-csc-manual §2.2-2.3, T01-T03; docs/decisions/0001).

submitted -> acknowledged -> accepted (allocated to a case); submitted or acknowledged ->
declined (with reasons) | redirected (to another body) | withdrawn (by the referrer only).
"""

from __future__ import annotations

import pytest

from hub.errors import InvalidInput, NotFound
from tests.builders import GTA_OFFICER, INSPECTOR, MANAGER, OTHER_CENTRE, SCHOOL_PSYCHOLOGIST
from tests.scenario import illegal, refused, submit


def acknowledge(app, rid):
    return app.referrals.acknowledge_referral(MANAGER, rid, note="received, will act")


def accept(app, rid):
    return app.referrals.accept_referral(MANAGER, rid)


def decline(app, rid):
    return app.referrals.decline_referral(MANAGER, rid, ["the child is an adult according to his passport"])


def redirect(app, rid):
    return app.referrals.redirect_referral(MANAGER, rid, "gta-almaty", "the GTA already placed the child")


def withdraw(app, rid):
    return app.referrals.withdraw_referral(INSPECTOR, rid, "the child was found by his uncle")


COMMANDS = {"acknowledge": acknowledge, "accept": accept, "decline": decline, "redirect": redirect, "withdraw": withdraw}

# The expectation table: (state, command) -> state reached; any pair not listed is illegal.
ALLOWED = {
    ("submitted", "acknowledge"): "acknowledged",
    ("submitted", "decline"): "declined",
    ("submitted", "redirect"): "redirected",
    ("submitted", "withdraw"): "withdrawn",
    ("acknowledged", "accept"): "accepted",
    ("acknowledged", "decline"): "declined",
    ("acknowledged", "redirect"): "redirected",
    ("acknowledged", "withdraw"): "withdrawn",
}

PATHS = {
    "submitted": [],
    "acknowledged": [acknowledge],
    "accepted": [acknowledge, accept],
    "declined": [acknowledge, decline],
    "redirected": [redirect],
    "withdrawn": [acknowledge, withdraw],
}


def referral_in(app, state: str, **content):
    referral = submit(app, **content)
    for step in PATHS[state]:
        step(app, referral.id)
    assert app.referrals.referral_for(INSPECTOR, referral.id).state == state
    return referral


@pytest.mark.parametrize("state", list(PATHS))
def test_each_state_refuses_the_commands_it_does_not_allow(app, state):
    referral = referral_in(app, state)
    for command, attempt in COMMANDS.items():
        if (state, command) in ALLOWED:
            continue
        with illegal(app, state, command):
            attempt(app, referral.id)
    assert app.referrals.referral_for(INSPECTOR, referral.id).state == state


@pytest.mark.parametrize(("state", "command"), list(ALLOWED), ids=[f"{s}-{c}" for s, c in ALLOWED])
def test_transition(app, state, command):
    referral = referral_in(app, state)
    COMMANDS[command](app, referral.id)
    after = app.referrals.referral_for(INSPECTOR, referral.id)
    assert after.state == ALLOWED[(state, command)]
    if command == "accept":
        assert after.case_id is not None
        assert app.cases.case_for(MANAGER, after.case_id).referral_ids == [referral.id]
    elif command == "decline":
        assert after.decline_reasons == ["the child is an adult according to his passport"]
    elif command == "redirect":
        assert after.redirected_to == "gta-almaty"
        assert after.outcome_reason == "the GTA already placed the child"
        onward = app.referrals.referral_for(GTA_OFFICER, after.onward_referral_id)
        assert (onward.state, onward.redirected_from, onward.referrer_agency) == ("submitted", referral.id, "cam-almaty")
    elif command == "withdraw":
        assert after.outcome_reason == "the child was found by his uncle"


def test_submission_routes_to_the_city_s_centre(app):
    almaty = submit(app)
    assert almaty.state == "submitted"
    assert almaty.recipient_agency == "cam-almaty"
    assert almaty.routing_reason.startswith("R-CAM-CSC")
    astana = submit(app, child__city="astana")
    assert astana.recipient_agency == "csc-astana"
    toddler = submit(app, child__stated_age=2)
    assert toddler.recipient_agency == "gta-almaty"
    assert toddler.routing_reason.startswith("R-UNDER-3")
    named = submit(app, recipient="ngo-rodnik")
    assert named.recipient_agency == "ngo-rodnik"


# -- guards ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("reasons", [[], [""], ["   ", ""]], ids=["none", "empty", "blank"])
@pytest.mark.parametrize("state", ["submitted", "acknowledged"])
def test_a_decline_needs_reasons(app, state, reasons):
    referral = referral_in(app, state)
    with refused(app, rule="reasons-required"):
        app.referrals.decline_referral(MANAGER, referral.id, reasons)
    app.referrals.decline_referral(MANAGER, referral.id, ["  not a CABM  ", " ", "lives in Bishkek"])
    assert app.referrals.referral_for(INSPECTOR, referral.id).decline_reasons == ["not a CABM", "lives in Bishkek"]


@pytest.mark.parametrize("command", ["acknowledge", "accept", "decline", "redirect"])
def test_only_the_recipient_decides(app, command):
    referral = referral_in(app, "acknowledged" if command == "accept" else "submitted")
    attempts = {
        "acknowledge": lambda: app.referrals.acknowledge_referral(INSPECTOR, referral.id),
        "accept": lambda: app.referrals.accept_referral(INSPECTOR, referral.id),
        "decline": lambda: app.referrals.decline_referral(INSPECTOR, referral.id, ["changed my mind"]),
        "redirect": lambda: app.referrals.redirect_referral(INSPECTOR, referral.id, "gta-almaty", "wrong body"),
    }
    with refused(app, rule="recipient-only"):
        attempts[command]()
    COMMANDS[command](app, referral.id)


@pytest.mark.parametrize("state", ["submitted", "acknowledged"])
def test_only_the_referrer_withdraws(app, state):
    referral = referral_in(app, state)
    with refused(app, rule="referrer-only"):
        app.referrals.withdraw_referral(MANAGER, referral.id, "we withdraw it")
    with refused(app, rule="reason-required"):
        app.referrals.withdraw_referral(INSPECTOR, referral.id, "   ")
    withdraw(app, referral.id)
    assert app.referrals.referral_for(MANAGER, referral.id).state == "withdrawn"


@pytest.mark.parametrize(
    ("to_agency", "reason", "rule"),
    [
        ("school-almaty-12", "the school knows him", "redirect-target"),  # not a body that takes referrals
        ("foreign-cp-uz", "his parents are in Uzbekistan", "redirect-target"),
        ("cam-almaty", "to ourselves", "redirect-target"),  # its own recipient
        ("ngo-rodnik", "   ", "reason-required"),
    ],
)
def test_redirect_guards(app, to_agency, reason, rule):
    referral = submit(app)
    with refused(app, rule=rule):
        app.referrals.redirect_referral(MANAGER, referral.id, to_agency, reason)
    app.referrals.redirect_referral(MANAGER, referral.id, "ngo-rodnik", "no need for care and protection (§2.1.6)")
    assert app.referrals.referral_for(INSPECTOR, referral.id).redirected_to == "ngo-rodnik"


def test_the_body_redirected_to_answers_an_onward_referral(app):
    referral = submit(app)
    app.referrals.redirect_referral(MANAGER, referral.id, "gta-almaty", "the GTA already placed the child")
    onward = app.referrals.referral_for(GTA_OFFICER, app.referrals.referral_for(MANAGER, referral.id).onward_referral_id)
    assert onward.recipient_agency == "gta-almaty"
    assert onward.content == referral.content
    assert onward.routing_reason == "redirected by cam-almaty: the GTA already placed the child"
    app.referrals.acknowledge_referral(GTA_OFFICER, onward.id)
    assert app.referrals.referral_for(GTA_OFFICER, onward.id).state == "acknowledged"
    assert onward.id in app.children.child_for(MANAGER, referral.child_id).referral_ids


def test_redirect_to_an_unknown_agency_is_invalid_input(app):
    referral = submit(app)
    with refused(app, InvalidInput):
        app.referrals.redirect_referral(MANAGER, referral.id, "no-such-agency", "somewhere")
    app.referrals.redirect_referral(MANAGER, referral.id, "csc-astana", "the family moved to Astana")
    assert app.referrals.referral_for(MANAGER, referral.id).state == "redirected"


# -- privacy ---------------------------------------------------------------------------------------


def test_uninvolved_agencies_get_not_found(app):
    referral = submit(app)
    with pytest.raises(NotFound) as unknown:
        app.referrals.referral_for(MANAGER, referral.child_id)  # a child id is not a referral id
    assert str(unknown.value) == f"no referral {referral.child_id}"
    for outsider in (OTHER_CENTRE, SCHOOL_PSYCHOLOGIST, GTA_OFFICER):
        with pytest.raises(NotFound) as hidden:
            app.referrals.referral_for(outsider, referral.id)
        assert str(hidden.value) == f"no referral {referral.id}"
        with refused(app, NotFound):
            app.referrals.acknowledge_referral(outsider, referral.id)
        with refused(app, NotFound):
            app.referrals.decline_referral(outsider, referral.id, ["not ours"])
        with refused(app, NotFound):
            app.referrals.redirect_referral(outsider, referral.id, "gta-almaty", "not ours")
        with refused(app, NotFound):
            app.referrals.withdraw_referral(outsider, referral.id, "not ours")
    acknowledge(app, referral.id)
    with refused(app, NotFound):
        app.referrals.accept_referral(OTHER_CENTRE, referral.id)
    # Referrer and recipient both see it.
    assert app.referrals.referral_for(INSPECTOR, referral.id).state == "acknowledged"
    assert app.referrals.referral_for(MANAGER, referral.id).state == "acknowledged"
