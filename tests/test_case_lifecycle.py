"""The CAM/CSC case lifecycle (cam-csc-manual §3.2 states, §3.3 transitions T03-T39, §3.4 facets).

The expectation tables below are written from the manual, not from the code:
ALLOWED lists, per state, the lifecycle commands §3.3 lets a manager use there;
everything else must be an IllegalTransition that appends nothing.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from hub.actor import Actor
from hub.aggregates.case_vocabulary import (
    CarePlanApprover,
    IntakeAction,
    PlanReviewOutcome,
)
from hub.aggregates.vocabulary import CabmCategory, PlacementType
from hub.errors import NotFound
from tests.builders import (
    CIM_OFFICER,
    FOREIGN,
    GTA_OFFICER,
    INSPECTOR,
    INVESTIGATOR,
    MANAGER,
    OTHER_CENTRE,
    SCHOOL_PSYCHOLOGIST,
)
from tests.scenario import (
    APPROVERS,
    CPM,
    CPR,
    IA,
    PATHS,
    SA,
    TR,
    assign,
    care_review,
    case,
    develop,
    drive_to,
    finalise,
    follow_up_on_time,
    illegal,
    initial,
    meeting,
    readmit,
    refused,
    social,
    state_of,
    submit,
    transition,
)

PR = PlanReviewOutcome
GTA_ASTANA = Actor("gta-astana", "officer", "a.serikova")


# -- command attempts (valid arguments, so only the state can refuse them) -----------------------


def support(accepted: bool = True, reason: str | None = None):
    return lambda app, cid: app.cases.record_support_referral_outcome(MANAGER, cid, "ngo-rodnik", accepted, reason, None)


def plan_review(outcome: PR):
    return lambda app, cid: app.cases.review_protection_plan(MANAGER, cid, outcome, "review minutes", None)


def confirm(confirmed_by: str = "U. Karimov, Tashkent", actor=MANAGER):
    return lambda app, cid: app.cases.confirm_safe_arrival(actor, cid, confirmed_by, None)


def approve(approver: CarePlanApprover, actor=MANAGER):
    return lambda app, cid: app.cases.approve_care_plan(actor, cid, approver)


def follow_up(month: int, concern: bool = False):
    return lambda app, cid: app.cases.record_follow_up(MANAGER, cid, month, concern, "visit")


def close(app, cid):
    return app.cases.close_after_monitoring(MANAGER, cid, None)


def _plan_without(missing: CarePlanApprover):
    return lambda app, cid: app.cases.develop_care_plan(MANAGER, cid, "plan", [a for a in APPROVERS if a != missing])


def reassess(app, cid):
    return app.cases.reassess_after_follow_up(MANAGER, cid, "the one-year visit found the child out of school")


LIFECYCLE_COMMANDS = {
    "assign_social_worker": assign,
    "conclude_initial_assessment": initial(IA.SIGNIFICANT_HARM_CONCERN),
    "record_support_referral_outcome": support(),
    "conclude_social_assessment": social(SA.CHILD_PROTECTION_MEETING),
    "hold_protection_meeting": meeting(CPM.CHILD_PROTECTION_PLAN),
    "finalise_protection_plan": finalise(True, "U. Karimov"),
    "review_protection_plan": plan_review(PR.CONTINUE),
    "confirm_safe_arrival": confirm(),
    "develop_care_plan": develop,
    "approve_care_plan": approve(CarePlanApprover.CARE_PROVIDER),
    "review_care_plan": care_review(CPR.CONTINUE),
    "complete_transition": transition(TR.POST_CARE_MONITORING),
    "record_follow_up": follow_up(1),
    "close_after_monitoring": close,
    "reassess_after_follow_up": reassess,
}

# §3.3: the lifecycle commands each state allows (S1/S2 are "intake").
ALLOWED = {
    "intake": {"assign_social_worker"},  # T04
    "initial_assessment": {"conclude_initial_assessment"},  # T06, T07, T09, T12
    "awaiting_support_referral": {"record_support_referral_outcome"},  # T08
    "awaiting_criminal_outcome": set(),  # T10, T11 come from the criminal facet
    "social_assessment": {"conclude_social_assessment"},  # T13-T18
    "cp_meeting_pending": {"hold_protection_meeting"},  # T19-T22
    "cp_plan_drafting": {"finalise_protection_plan"},  # T23, T24
    "cp_plan_active": {"review_protection_plan"},  # T26-T29
    "return_in_progress": {"confirm_safe_arrival"},  # T25
    "care_plan_drafting": {"develop_care_plan"},  # T30
    "care_plan_pending_approval": {"approve_care_plan"},  # T31
    "care_plan_active": {"review_care_plan"},  # T32-T34
    "transition_from_care": {"complete_transition"},  # T35-T37
    "post_care_monitoring": {"record_follow_up", "close_after_monitoring", "reassess_after_follow_up"},  # T38
    "closed": set(),  # only a new referral (T39) follows a closed case
}
STATES = list(ALLOWED)


def _facet_attempts(charge_id):
    return {
        "record_intake_action": lambda app, cid: app.cases.record_intake_action(
            MANAGER, cid, IntakeAction.GTA_NOTIFIED, "phoned the GTA duty officer"
        ),
        "report_emergency": lambda app, cid: app.cases.report_emergency(MANAGER, cid, "the uncle threatened the child"),
        "record_charge": lambda app, cid: app.cases.record_charge(INVESTIGATOR, cid, charge_id, "Rustam Karimov", "neglect"),
        "record_placement": lambda app, cid: app.cases.record_placement(
            GTA_OFFICER, cid, PlacementType.TEMPORARY_FAMILY_BASED, "GTA decision 17/2026"
        ),
        "record_criminal_outcome": lambda app, cid: app.cases.record_criminal_outcome(INVESTIGATOR, cid, charge_id, True),
    }


@pytest.mark.parametrize("state", STATES)
def test_each_state_refuses_every_command_the_manual_does_not_allow(app, frozen, state):
    driven = drive_to(app, state)
    for command, attempt in LIFECYCLE_COMMANDS.items():
        if command in ALLOWED[state]:
            continue
        with illegal(app, state, command):
            attempt(app, driven.id)

    charge_id = uuid.uuid4()
    facets = _facet_attempts(charge_id)
    if state == "closed":
        for command, attempt in facets.items():
            with illegal(app, "closed", command):
                attempt(app, driven.id)
        return
    # T05 and §3.4: the facets run beside the lifecycle in every open state and do not move it.
    for attempt in facets.values():
        attempt(app, driven.id)
    after = case(app, driven.id)
    assert after.state == state
    assert IntakeAction.GTA_NOTIFIED in after.intake_actions
    assert after.emergency_reported_at == frozen.now()
    assert after.placement == PlacementType.TEMPORARY_FAMILY_BASED
    assert after.charges[charge_id]["outcome"] == "found_responsible"


# -- every allowed transition (T04-T36) -----------------------------------------------------------

TRANSITIONS = [
    ("T04", "intake", assign, "initial_assessment"),
    ("T06", "initial_assessment", initial(IA.NO_FURTHER_ACTION), "closed"),
    ("T07", "initial_assessment", initial(IA.SUPPORT_SERVICES), "awaiting_support_referral"),
    ("T12", "initial_assessment", initial(IA.SIGNIFICANT_HARM_CONCERN), "social_assessment"),
    ("T08-accepted", "awaiting_support_referral", support(True), "closed"),
    ("T08-refused", "awaiting_support_referral", support(False, "no places left"), "awaiting_support_referral"),
    ("T13", "social_assessment", social(SA.NO_FURTHER_ACTION), "closed"),
    ("T14", "social_assessment", social(SA.SUPPORT_SERVICES), "awaiting_support_referral"),
    ("T15", "social_assessment", social(SA.CHILD_PROTECTION_MEETING), "cp_meeting_pending"),
    ("T16", "social_assessment", social(SA.REUNIFICATION_MEETING), "cp_meeting_pending"),
    ("T17", "social_assessment", social(SA.REMOVAL_TO_ALTERNATIVE_CARE), "care_plan_drafting"),
    ("T18", "social_assessment", social(SA.ALTERNATIVE_CARE_NO_REUNIFICATION), "care_plan_drafting"),
    ("T19-nfa", "cp_meeting_pending", meeting(CPM.NO_FURTHER_ACTION), "closed"),
    ("T19-support", "cp_meeting_pending", meeting(CPM.SUPPORT_SERVICES), "awaiting_support_referral"),
    ("T20", "cp_meeting_pending", meeting(CPM.CHILD_PROTECTION_PLAN), "cp_plan_drafting"),
    ("T21", "cp_meeting_pending", meeting(CPM.RETURN_PLAN), "cp_plan_drafting"),
    ("T22", "cp_meeting_pending", meeting(CPM.CARE_PLAN), "care_plan_drafting"),
    ("T23", "cp_plan_drafting", finalise(parent_agreed=True), "cp_plan_active"),
    ("T24", "return_plan_drafting", finalise(parent_agreed=False, foreign_case_manager="U. Karimov"), "return_in_progress"),
    ("T25", "return_in_progress", confirm(), "closed"),
    ("T26", "cp_plan_active", plan_review(PR.CONTINUE), "cp_plan_active"),
    ("T27", "cp_plan_active", plan_review(PR.AMEND), "cp_plan_active"),
    ("T28", "cp_plan_active", plan_review(PR.REASSESS), "social_assessment"),
    ("T29", "cp_plan_active", plan_review(PR.NO_LONGER_NECESSARY), "closed"),
    ("T30", "care_plan_drafting", develop, "care_plan_pending_approval"),
    ("T32-continue", "care_plan_active", care_review(CPR.CONTINUE), "care_plan_active"),
    ("T32-amend", "care_plan_active", care_review(CPR.AMEND), "care_plan_active"),
    ("T33", "care_plan_active", care_review(CPR.NO_LONGER_NECESSARY), "transition_from_care"),
    ("T34", "care_plan_active", care_review(CPR.RETURN_ABROAD), "return_in_progress"),
    ("T35", "transition_from_care", transition(TR.CHILD_PROTECTION_PLAN, receiving_body=None), "cp_plan_drafting"),
    ("T36", "transition_from_care", transition(TR.POST_CARE_MONITORING), "post_care_monitoring"),
]


@pytest.mark.parametrize(("path", "step", "target"), [t[1:] for t in TRANSITIONS], ids=[t[0] for t in TRANSITIONS])
def test_transition(app, frozen, path, step, target):
    driven = drive_to(app, path)
    step(app, driven.id)
    after = case(app, driven.id)
    assert after.state == target
    if target == "closed":
        assert after.closure is not None and after.closure["closed_at"] == frozen.now()
        assert not after.is_open


def test_expectation_tables_cover_each_other():
    """Every command the manual allows in a state has a transition test from that state."""
    tested = {(state_of(path), step) for _, path, step, _ in TRANSITIONS}
    tested_states = {state for state, _ in tested}
    for state, commands in ALLOWED.items():
        # These have tests of their own: they need several steps or a finding first.
        if commands - {"approve_care_plan", "record_follow_up", "close_after_monitoring", "reassess_after_follow_up"}:
            assert state in tested_states, state
    assert set(PATHS) - {"return_plan_drafting"} == set(STATES)


def test_T27_amendment_makes_a_new_plan_version(app):
    driven = drive_to(app, "cp_plan_active")
    assert driven.plan_version == 1
    plan_review(PR.AMEND)(app, driven.id)
    plan_review(PR.CONTINUE)(app, driven.id)
    assert case(app, driven.id).plan_version == 2


# -- T09-T11: proceedings against a parent (8.5.6) ------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "target"),
    [
        (IA.NO_FURTHER_ACTION, "awaiting_criminal_outcome"),  # T09 (8.5.1a)
        (IA.SUPPORT_SERVICES, "awaiting_criminal_outcome"),  # T09 (8.5.1b)
        (IA.SIGNIFICANT_HARM_CONCERN, "social_assessment"),  # T12 regardless of the charge
    ],
)
def test_T09_a_pending_charge_keeps_the_file_open(app, outcome, target):
    driven = drive_to(app, "initial_assessment")
    app.cases.record_charge(INVESTIGATOR, driven.id, uuid.uuid4(), "Rustam Karimov", "neglect")
    initial(outcome)(app, driven.id)
    assert case(app, driven.id).state == target


@pytest.mark.parametrize(
    ("decision", "found_responsible", "target"),
    [
        (IA.NO_FURTHER_ACTION, False, "closed"),  # T10
        (IA.SUPPORT_SERVICES, False, "awaiting_support_referral"),  # T10 on the 8.5.3 route [derived]
        (IA.NO_FURTHER_ACTION, True, "social_assessment"),  # T11
        (IA.SUPPORT_SERVICES, True, "social_assessment"),  # T11
    ],
)
def test_T10_T11_the_outcome_of_the_proceedings(app, decision, found_responsible, target):
    driven = drive_to(app, "initial_assessment")
    first, second = uuid.uuid4(), uuid.uuid4()
    app.cases.record_charge(INVESTIGATOR, driven.id, first, "Rustam Karimov", "neglect")
    app.cases.record_charge(INVESTIGATOR, driven.id, second, "uncle", "abandonment")
    initial(decision)(app, driven.id)
    # One of two charges decided: the case is not complete yet.
    app.cases.record_criminal_outcome(INVESTIGATOR, driven.id, first, False)
    assert case(app, driven.id).state == "awaiting_criminal_outcome"
    app.cases.record_criminal_outcome(INVESTIGATOR, driven.id, second, found_responsible)
    assert case(app, driven.id).state == target


def test_criminal_outcome_needs_a_pending_charge(app):
    driven = drive_to(app, "awaiting_criminal_outcome")
    (charge_id,) = driven.charges
    with refused(app, rule="no-pending-charge"):
        app.cases.record_criminal_outcome(INVESTIGATOR, driven.id, uuid.uuid4(), False)
    app.cases.record_criminal_outcome(INVESTIGATOR, driven.id, charge_id, True)
    assert case(app, driven.id).state == "social_assessment"
    with refused(app, rule="no-pending-charge"):
        app.cases.record_criminal_outcome(INVESTIGATOR, driven.id, charge_id, False)


# No closure while a charge against a parent is pending (8.5.6, §3.3 general preconditions).
CLOSINGS = [
    ("T08", "awaiting_support_referral", support(True)),
    ("T13", "social_assessment", social(SA.NO_FURTHER_ACTION)),
    ("T19", "cp_meeting_pending", meeting(CPM.NO_FURTHER_ACTION)),
    ("T25", "return_in_progress", confirm()),
    ("T29", "cp_plan_active", plan_review(PR.NO_LONGER_NECESSARY)),
    ("T38", "post_care_monitoring", close),
]


@pytest.mark.parametrize(("path", "closing"), [c[1:] for c in CLOSINGS], ids=[c[0] for c in CLOSINGS])
def test_no_closure_while_a_charge_is_pending(app, frozen, path, closing):
    driven = drive_to(app, path)
    if path == "post_care_monitoring":
        follow_up_on_time(app, frozen, driven.id)
    charge_id = uuid.uuid4()
    app.cases.record_charge(INVESTIGATOR, driven.id, charge_id, "Rustam Karimov", "neglect")
    with refused(app, rule="8.5.6-charge-pending"):
        closing(app, driven.id)
    app.cases.record_criminal_outcome(INVESTIGATOR, driven.id, charge_id, False)
    assert case(app, driven.id).state == path
    closing(app, driven.id)
    assert case(app, driven.id).state == "closed"


def test_T37_no_transfer_at_18_while_a_charge_is_pending(app, frozen):
    driven = drive_to(app, "transition_from_care", child__stated_age=None, child__date_of_birth=date(2008, 3, 3))
    frozen.advance(timedelta(days=1))
    charge_id = uuid.uuid4()
    app.cases.record_charge(INVESTIGATOR, driven.id, charge_id, "Rustam Karimov", "neglect")
    with refused(app, rule="8.5.6-charge-pending"):
        transition(TR.TRANSFERRED_AT_18)(app, driven.id)
    app.cases.record_criminal_outcome(INVESTIGATOR, driven.id, charge_id, False)
    transition(TR.TRANSFERRED_AT_18)(app, driven.id)
    assert case(app, driven.id).state == "closed"


# -- simple guards: the refused form, then the allowed form -----------------------------------------

SIMPLE_GUARDS = [
    # rule, path, refused attempt, allowed attempt, state after the allowed attempt
    (
        "social-worker-required",
        "intake",
        lambda app, cid: app.cases.assign_social_worker(MANAGER, cid, "  ", False),
        assign,
        "initial_assessment",
    ),
    (
        "reason-required", "awaiting_support_referral", support(False, None), support(False, "no places"),
        "awaiting_support_referral",
    ),
    ("reason-required", "awaiting_support_referral", support(False, "  "), support(True), "closed"),
    ("8.8.4-parent-agreement", "cp_plan_drafting", finalise(parent_agreed=False), finalise(parent_agreed=True), "cp_plan_active"),
    (
        "8.8.3e-foreign-case-manager",
        "return_plan_drafting",
        finalise(parent_agreed=True, foreign_case_manager=None),
        finalise(parent_agreed=True, foreign_case_manager="U. Karimov"),
        "return_in_progress",
    ),
    (
        "8.8.3e-foreign-case-manager",
        "return_plan_drafting",
        finalise(parent_agreed=True, foreign_case_manager="   "),
        finalise(parent_agreed=False, foreign_case_manager="U. Karimov"),
        "return_in_progress",
    ),
    ("confirmation-required", "return_in_progress", confirm("  "), confirm("U. Karimov"), "closed"),
    (
        "description-required",
        "intake",
        lambda app, cid: app.cases.report_emergency(MANAGER, cid, "   "),
        lambda app, cid: app.cases.report_emergency(MANAGER, cid, "beaten at home tonight"),
        "intake",
    ),
    # 8.10.10: the GTA, the CIM and the care provider all sign; the foreign authority "where relevant".
    *[
        (
            "8.10.10-approvers",
            "care_plan_drafting",
            _plan_without(missing),
            lambda app, cid: app.cases.develop_care_plan(MANAGER, cid, "plan", [*APPROVERS, CarePlanApprover.FOREIGN_AUTHORITY]),
            "care_plan_pending_approval",
        )
        for missing in APPROVERS
    ],
    (
        "not-an-approver",
        "care_plan_pending_approval",
        approve(CarePlanApprover.FOREIGN_AUTHORITY),
        approve(CarePlanApprover.CARE_PROVIDER),
        "care_plan_pending_approval",
    ),
    # approver-body: the GTA signs as the GTA, the CIM as the CIM, the manager records the provider's signature.
    (
        "approver-body", "care_plan_pending_approval",
        approve(CarePlanApprover.CIM, GTA_OFFICER), approve(CarePlanApprover.GTA, GTA_OFFICER), "care_plan_pending_approval",
    ),
    (
        "approver-body", "care_plan_pending_approval",
        approve(CarePlanApprover.GTA, CIM_OFFICER), approve(CarePlanApprover.CIM, CIM_OFFICER), "care_plan_pending_approval",
    ),
    (
        "approver-body", "care_plan_pending_approval",
        approve(CarePlanApprover.GTA, MANAGER), approve(CarePlanApprover.GTA, GTA_OFFICER), "care_plan_pending_approval",
    ),
    (
        "approver-body", "care_plan_pending_approval",
        approve(CarePlanApprover.CARE_PROVIDER, GTA_OFFICER), approve(CarePlanApprover.CARE_PROVIDER, MANAGER),
        "care_plan_pending_approval",
    ),
    # Placements are decided by the GTA or CIM; the juvenile inspector assists only a removal (8.2.2b, §3.4 P).
    (
        "placement-decider",
        "intake",
        lambda app, cid: app.cases.record_placement(MANAGER, cid, PlacementType.TEMPORARY_FAMILY_BASED, "recommendation"),
        lambda app, cid: app.cases.record_placement(GTA_OFFICER, cid, PlacementType.TEMPORARY_FAMILY_BASED, "GTA 1/2026"),
        "intake",
    ),
    (
        "placement-decider",
        "social_assessment",
        lambda app, cid: app.cases.record_placement(INSPECTOR, cid, PlacementType.CAM_CSC_RESIDENTIAL_UNIT, "JI 5"),
        lambda app, cid: app.cases.record_placement(INSPECTOR, cid, PlacementType.REMOVED_TEMPORARY_PROTECTION, "JI 5"),
        "social_assessment",
    ),
    (
        "placement-decider",
        "care_plan_active",
        lambda app, cid: app.cases.record_placement(INSPECTOR, cid, PlacementType.FAMILY_BASED, "JI 6"),
        lambda app, cid: app.cases.record_placement(CIM_OFFICER, cid, PlacementType.FAMILY_BASED, "CIM 2/2026"),
        "care_plan_active",
    ),
]


@pytest.mark.parametrize(
    ("rule", "path", "bad", "good", "target"),
    SIMPLE_GUARDS,
    ids=[f"{g[0]}-{i}" for i, g in enumerate(SIMPLE_GUARDS)],
)
def test_guard(app, rule, path, bad, good, target):
    driven = drive_to(app, path)
    with refused(app, rule=rule):
        bad(app, driven.id)
    assert case(app, driven.id).state == state_of(path)
    good(app, driven.id)
    assert case(app, driven.id).state == target


REPEATS = [
    ("intake-action-recorded", "intake", _facet_attempts(uuid.uuid4())["record_intake_action"]),
    ("charge-recorded", "social_assessment", None),  # the same charge id twice
    ("placement-unchanged", "care_plan_drafting", _facet_attempts(uuid.uuid4())["record_placement"]),
    ("already-approved", "care_plan_pending_approval", approve(CarePlanApprover.GTA, GTA_OFFICER)),
]


@pytest.mark.parametrize(("rule", "path", "step"), REPEATS, ids=[r[0] for r in REPEATS])
def test_a_fact_is_recorded_once(app, rule, path, step):
    if step is None:
        charge_id = uuid.uuid4()
        step = lambda app, cid: app.cases.record_charge(INVESTIGATOR, cid, charge_id, "Rustam Karimov", "neglect")  # noqa: E731
    driven = drive_to(app, path)
    step(app, driven.id)
    with refused(app, rule=rule):
        step(app, driven.id)


def test_removal_with_the_juvenile_inspector_is_recorded(app, frozen):
    driven = drive_to(app, "initial_assessment")
    app.cases.record_placement(INSPECTOR, driven.id, PlacementType.REMOVED_TEMPORARY_PROTECTION, "JI act 12")
    after = case(app, driven.id)
    assert after.placement == PlacementType.REMOVED_TEMPORARY_PROTECTION
    assert after.removed_at == frozen.now()


# -- T31: every required body signs before the care plan takes effect (8.10.10) ----------------------


def test_T31_the_care_plan_is_active_once_every_required_body_signed(app):
    driven = drive_to(app, "care_plan_drafting")
    app.cases.develop_care_plan(MANAGER, driven.id, "plan", [*APPROVERS, CarePlanApprover.FOREIGN_AUTHORITY])
    signatures = [
        (GTA_OFFICER, CarePlanApprover.GTA),
        (CIM_OFFICER, CarePlanApprover.CIM),
        (MANAGER, CarePlanApprover.CARE_PROVIDER),
        (MANAGER, CarePlanApprover.FOREIGN_AUTHORITY),
    ]
    for actor, approver in signatures[:-1]:
        app.cases.approve_care_plan(actor, driven.id, approver)
        assert case(app, driven.id).state == "care_plan_pending_approval"
    actor, approver = signatures[-1]
    app.cases.approve_care_plan(actor, driven.id, approver)
    assert case(app, driven.id).state == "care_plan_active"


# -- 8.6.8 and 8.6.10: return and reunification ----------------------------------------------------

NO_RETURN = [
    # path, the return step, an alternative that is allowed
    ("social_assessment", social(SA.REUNIFICATION_MEETING), social(SA.ALTERNATIVE_CARE_NO_REUNIFICATION), "care_plan_drafting"),
    ("cp_meeting_pending", meeting(CPM.RETURN_PLAN), meeting(CPM.CARE_PLAN), "care_plan_drafting"),
    ("care_plan_active", care_review(CPR.RETURN_ABROAD), care_review(CPR.CONTINUE), "care_plan_active"),
]


@pytest.mark.parametrize("category", ["asylum_seeker", "refugee"])
@pytest.mark.parametrize(("path", "to_return", "alternative", "target"), NO_RETURN, ids=[n[0] for n in NO_RETURN])
def test_8_6_8_an_asylum_seeker_or_refugee_is_never_returned(app, category, path, to_return, alternative, target):
    driven = drive_to(app, path, child__categories=["unaccompanied", category])
    with refused(app, rule="8.6.8-no-return"):
        to_return(app, driven.id)
    alternative(app, driven.id)
    assert case(app, driven.id).state == target


def test_8_6_8_the_bar_follows_the_child_s_current_categories(app):
    driven = drive_to(app, "social_assessment", child__categories=["unaccompanied", "asylum_seeker"])
    with refused(app, rule="8.6.8-no-return"):
        social(SA.REUNIFICATION_MEETING)(app, driven.id)
    app.children.remove_category(MANAGER, driven.child_id, CabmCategory.ASYLUM_SEEKER, "asylum application withdrawn")
    social(SA.REUNIFICATION_MEETING)(app, driven.id)
    assert case(app, driven.id).state == "cp_meeting_pending"


def test_8_6_8_a_return_plan_is_not_finalised_for_a_child_who_has_since_claimed_asylum(app):
    """8.6.8(c) bars return "under any circumstances" (L2730-2760): finalising a return plan (T24)
    re-checks it, not only the meeting that recommended it."""
    driven = drive_to(app, "return_plan_drafting")
    app.children.add_category(MANAGER, driven.child_id, CabmCategory.ASYLUM_SEEKER, "applied for asylum after the meeting")
    with refused(app, rule="8.6.8-no-return"):
        finalise(parent_agreed=True, foreign_case_manager="U. Karimov")(app, driven.id)
    assert case(app, driven.id).state == "cp_plan_drafting"


@pytest.mark.parametrize("conclusion", [SA.REUNIFICATION_MEETING, SA.ALTERNATIVE_CARE_NO_REUNIFICATION])
def test_8_6_10_d_f_apply_only_to_separated_or_unaccompanied_children(app, conclusion):
    neglected = drive_to(app, "social_assessment", child__categories=["internal_migrant"], concern__category="neglect")
    with refused(app, rule="8.6.10-separated-only"):
        social(conclusion)(app, neglected.id)
    separated = drive_to(app, "social_assessment", child__categories=["separated"], concern__category="separated")
    social(conclusion)(app, separated.id)
    assert case(app, separated.id).state in ("cp_meeting_pending", "care_plan_drafting")


# -- 8.9.5d: a child protection plan runs at most 12 months without a new social assessment ------------


def test_8_9_5d_twelve_months_then_a_new_social_assessment(app, frozen):
    driven = drive_to(app, "cp_plan_active")
    frozen.advance(timedelta(days=364))  # 2027-03-01: eleven full months
    plan_review(PR.AMEND)(app, driven.id)  # amending does not restart the 12 months
    plan_review(PR.CONTINUE)(app, driven.id)
    frozen.advance(timedelta(days=1))  # 2027-03-02: twelve months since the plan started
    for outcome in (PR.CONTINUE, PR.AMEND):
        with refused(app, rule="8.9.5d-12-months"):
            plan_review(outcome)(app, driven.id)
    plan_review(PR.REASSESS)(app, driven.id)  # T28
    assert case(app, driven.id).state == "social_assessment"


# -- T35-T37: the end of the care plan, and the child's 18th birthday (8.11.17-8.11.18) ----------------


def test_T37_transfer_at_18_only_once_the_child_is_18(app, frozen):
    driven = drive_to(app, "transition_from_care", child__stated_age=None, child__date_of_birth=date(2008, 3, 3))
    with refused(app, rule="8.11.18c-at-18"):  # 17 today
        transition(TR.TRANSFERRED_AT_18)(app, driven.id)
    frozen.advance(timedelta(days=1))  # the 18th birthday
    for outcome in (TR.POST_CARE_MONITORING, TR.CHILD_PROTECTION_PLAN):
        with refused(app, rule="8.11.18-adult"):
            transition(outcome)(app, driven.id)
    for body in (None, "  "):
        with refused(app, rule="8.11.18-receiving-body"):
            transition(TR.TRANSFERRED_AT_18, receiving_body=body)(app, driven.id)
    transition(TR.TRANSFERRED_AT_18, receiving_body="youth department, Almaty akimat")(app, driven.id)
    closed = case(app, driven.id)
    assert closed.state == "closed"
    assert "youth department" in closed.closure["follow_up_services"]


def test_T37_a_claimed_age_is_carried_forward_to_18(app, frozen):
    driven = drive_to(app, "transition_from_care", child__stated_age=17)
    frozen.advance(timedelta(days=364))
    with refused(app, rule="8.11.18c-at-18"):
        transition(TR.TRANSFERRED_AT_18)(app, driven.id)
    frozen.advance(timedelta(days=1))
    transition(TR.TRANSFERRED_AT_18)(app, driven.id)
    assert case(app, driven.id).state == "closed"


def test_T36_monitoring_needs_the_aftercare_body(app):
    driven = drive_to(app, "transition_from_care")
    for body in (None, " "):
        with refused(app, rule="8.11.18-receiving-body"):
            transition(TR.POST_CARE_MONITORING, receiving_body=body)(app, driven.id)
    transition(TR.POST_CARE_MONITORING)(app, driven.id)
    assert case(app, driven.id).state == "post_care_monitoring"


# -- T38: monitoring at 1, 3, 6 and 12 months after discharge (8.11.18b, D40) -------------------------


def test_T38_closes_after_a_one_year_follow_up_without_concern(app, frozen):
    driven = drive_to(app, "post_care_monitoring")
    follow_up_on_time(app, frozen, driven.id)
    close(app, driven.id)
    closed = case(app, driven.id)
    assert closed.state == "closed"
    assert closed.follow_ups == {1: False, 3: False, 6: False, 12: False}


def test_T38_follow_up_guards(app, frozen):
    driven = drive_to(app, "post_care_monitoring")
    frozen.advance(timedelta(days=92))
    with refused(app, rule="follow-up-month"):
        follow_up(2)(app, driven.id)
    with refused(app, rule="follow-up-order"):
        follow_up(3)(app, driven.id)
    follow_up(1)(app, driven.id)
    with refused(app, rule="follow-up-recorded"):
        follow_up(1)(app, driven.id)
    follow_up(3)(app, driven.id)
    frozen.advance(timedelta(days=91))
    follow_up(6)(app, driven.id)
    with refused(app, rule="8.11.18b-one-year"):
        close(app, driven.id)
    frozen.advance(timedelta(days=183))
    follow_up(12, concern=True)(app, driven.id)
    with refused(app, rule="8.11.18b-concern"):
        close(app, driven.id)
    assert case(app, driven.id).state == "post_care_monitoring"


def test_D40_a_follow_up_is_recorded_when_it_falls_due(app, frozen):
    """D40/T38: monitoring "one month, 3 months, 6 months and 1 year following discharge", closure
    "after the one-year review": four follow-ups on the day of discharge must not close the case."""
    driven = drive_to(app, "post_care_monitoring")
    with refused(app, rule="D40-follow-up-not-due"):
        for month in (1, 3, 6, 12):
            follow_up(month)(app, driven.id)
        close(app, driven.id)
    assert case(app, driven.id).state == "post_care_monitoring"
    frozen.advance(timedelta(days=31))  # 2026-04-02: one month after discharge
    follow_up(1)(app, driven.id)
    with refused(app, rule="D40-follow-up-not-due"):
        follow_up(3)(app, driven.id)
    frozen.advance(timedelta(days=61))  # 2026-06-02: three months
    follow_up(3)(app, driven.id)
    assert case(app, driven.id).follow_ups == {1: False, 3: False}


# -- accepting referrals: T03 (open), attach, T39 (readmission) --------------------------------------


def test_accept_opens_a_case_in_intake(app):
    referral = submit(app)
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    opened = app.referrals.accept_referral(MANAGER, referral.id)
    assert opened.state == "intake"
    assert opened.managing_agency == "cam-almaty"
    assert opened.referral_ids == [referral.id]
    assert opened.previous_case_id is None
    assert app.referrals.referral_for(MANAGER, referral.id).case_id == opened.id
    assert app.children.child_for(MANAGER, opened.child_id).case_ids == [opened.id]


@pytest.mark.parametrize("path", ["intake", "care_plan_active"])
def test_a_further_referral_joins_the_open_case(app, path):
    driven = drive_to(app, path)
    again = submit(app, child_id=driven.child_id)
    app.referrals.acknowledge_referral(MANAGER, again.id)
    joined = app.referrals.accept_referral(MANAGER, again.id)
    assert joined.id == driven.id
    after = case(app, driven.id)
    assert after.referral_ids == [*driven.referral_ids, again.id]
    assert after.state == path
    assert app.referrals.referral_for(MANAGER, again.id).case_id == driven.id
    assert app.children.child_for(MANAGER, driven.child_id).case_ids == [driven.id]


def test_T39_a_referral_of_a_child_whose_case_closed_is_a_readmission(app):
    first = drive_to(app, "closed")
    second = readmit(app, first.child_id)
    assert second.id != first.id
    assert second.state == "intake"
    assert second.previous_case_id == first.id
    assert second.case_number == f"{first.case_number}.1"
    assign(app, second.id)
    initial(IA.NO_FURTHER_ACTION)(app, second.id)
    third = readmit(app, first.child_id)
    assert third.previous_case_id == second.id
    assert third.case_number == f"{first.case_number}.2"
    assert app.children.child_for(MANAGER, first.child_id).case_ids == [first.id, second.id, third.id]
    assert case(app, first.id).state == "closed"  # the closed case stays closed


def test_one_case_manager_per_child(app):
    driven = drive_to(app, "social_assessment")
    elsewhere = submit(app, child_id=driven.child_id, recipient="csc-astana")
    app.referrals.acknowledge_referral(OTHER_CENTRE, elsewhere.id)
    with refused(app, rule="one-case-manager"):
        app.referrals.accept_referral(OTHER_CENTRE, elsewhere.id)
    assert app.referrals.referral_for(OTHER_CENTRE, elsewhere.id).state == "acknowledged"
    # Once the Almaty case is closed, Astana may take the child on (a readmission at another centre).
    social(SA.NO_FURTHER_ACTION)(app, driven.id)
    taken = app.referrals.accept_referral(OTHER_CENTRE, elsewhere.id)
    assert taken.managing_agency == "csc-astana"
    assert taken.previous_case_id == driven.id


def test_8_1_1_no_case_for_a_child_under_3(app):
    named = submit(app, recipient="cam-almaty", child__stated_age=2)
    app.referrals.acknowledge_referral(MANAGER, named.id)
    with refused(app, rule="8.1.1-under-3"):
        app.referrals.accept_referral(MANAGER, named.id)
    toddler = submit(app, child__stated_age=2)
    assert toddler.recipient_agency == GTA_OFFICER.agency  # unnamed, an under-3 is routed to the GTA
    app.referrals.acknowledge_referral(GTA_OFFICER, toddler.id)
    accepted = app.referrals.accept_referral(GTA_OFFICER, toddler.id)  # for its own service (cam N04, 0034)
    assert (accepted.state, accepted.case_id) == ("accepted", None)
    three = submit(app, child__stated_age=3)
    assert three.recipient_agency == "cam-almaty"
    app.referrals.acknowledge_referral(MANAGER, three.id)
    assert app.referrals.accept_referral(MANAGER, three.id).state == "intake"


# -- privacy: agencies not involved get NotFound, exactly as for an unknown id ---------------------------


def test_uninvolved_agencies_cannot_see_the_case(app):
    driven = drive_to(app, "care_plan_pending_approval")
    unknown = uuid.uuid4()
    with pytest.raises(NotFound) as missing:
        app.cases.case_for(MANAGER, unknown)
    for outsider in (OTHER_CENTRE, SCHOOL_PSYCHOLOGIST, INSPECTOR, GTA_OFFICER, CIM_OFFICER, INVESTIGATOR, FOREIGN):
        with pytest.raises(NotFound) as hidden:
            app.cases.case_for(outsider, driven.id)
        assert str(hidden.value) == str(missing.value).replace(str(unknown), str(driven.id))
    with pytest.raises(NotFound):  # a referral id is not a case id
        app.cases.case_for(MANAGER, driven.referral_ids[0])


OUTSIDER_COMMANDS = [
    ("other centre assigns", "intake", lambda app, cid: app.cases.assign_social_worker(OTHER_CENTRE, cid, "x", False)),
    ("other centre reports", "intake", lambda app, cid: app.cases.report_emergency(OTHER_CENTRE, cid, "danger")),
    (
        "school records a charge", "intake",
        lambda app, cid: app.cases.record_charge(SCHOOL_PSYCHOLOGIST, cid, uuid.uuid4(), "p", "o"),
    ),
    ("GTA assigns", "intake", lambda app, cid: app.cases.assign_social_worker(GTA_OFFICER, cid, "x", False)),
    (
        "GTA of another city places",
        "care_plan_active",
        lambda app, cid: app.cases.record_placement(GTA_ASTANA, cid, PlacementType.FAMILY_BASED, "GTA Astana 1"),
    ),
    ("GTA of another city approves", "care_plan_pending_approval", approve(CarePlanApprover.GTA, GTA_ASTANA)),
    (
        "school places", "care_plan_active",
        lambda app, cid: app.cases.record_placement(SCHOOL_PSYCHOLOGIST, cid, PlacementType.FAMILY_BASED, "x"),
    ),
    ("other centre confirms arrival", "return_in_progress", confirm(actor=OTHER_CENTRE)),
    # Decision 0005: foreign authorities hold no case records; the manager records their confirmation (T25).
    ("foreign authority confirms arrival", "return_in_progress", confirm(actor=FOREIGN)),
]


@pytest.mark.parametrize(("path", "attempt"), [o[1:] for o in OUTSIDER_COMMANDS], ids=[o[0] for o in OUTSIDER_COMMANDS])
def test_uninvolved_agencies_get_not_found_for_commands(app, path, attempt):
    driven = drive_to(app, path)
    with refused(app, NotFound):
        attempt(app, driven.id)


def test_T38_a_concern_at_follow_up_sends_the_case_back_to_assessment(app, frozen):
    """The manual is silent on a concern found at follow-up (T38 gap); decision 0003 reassesses."""
    driven = drive_to(app, "post_care_monitoring")
    with refused(app, rule="T38-no-concern"):
        reassess(app, driven.id)
    frozen.advance(timedelta(days=31))
    follow_up(1, concern=True)(app, driven.id)
    with refused(app, rule="reason-required"):
        app.cases.reassess_after_follow_up(MANAGER, driven.id, "  ")
    reassess(app, driven.id)
    assert case(app, driven.id).state == "social_assessment"


def test_only_a_cam_or_csc_opens_a_case(app):
    """§3.2 S2, T03: the case-managing body is the CAM/CSC; a GTA that accepts a referral takes it on for its own
    service (cam N04, docs/decisions/0034) and no case opens."""
    referral = submit(app, recipient="gta-almaty")
    app.referrals.acknowledge_referral(GTA_OFFICER, referral.id)
    accepted = app.referrals.accept_referral(GTA_OFFICER, referral.id)
    assert accepted.case_id is None
    assert app.store.repository.get(referral.child_id).case_ids == []


def test_no_case_for_a_child_who_turned_18_after_being_referred(app, frozen):
    """L58: a child is an individual aged 0 to 18. An adult is not referred at all (docs/decisions/0023);
    a child referred at 17 may turn 18 before the centre accepts."""
    referral = submit(app, child__stated_age=None, child__date_of_birth=date(2008, 3, 3))  # 18 tomorrow
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    frozen.advance(timedelta(days=1))
    with refused(app, rule="L58-adult"):
        app.referrals.accept_referral(MANAGER, referral.id)
