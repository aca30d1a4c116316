"""Every deadline of hub/policy/deadlines.yaml under a frozen clock, driven through the service layer.

The frozen clock starts Monday 2 March 2026 09:00 in Almaty (``START``). Each
recipe below produces the event that starts one clock, names its due time
(counted by hand in the comment beside it) and the command that meets it. The
common test then checks the clock runs, is due soon in the last fifth of its
period, is overdue one second after its limit, and is met by its event.

Kazakhstan's days off in the period (from the ``holidays`` package, see
tests/test_working_days.py): Sun 8 March (Women's Day) observed Mon 9 March;
Nauryz Sat 21 - Mon 23 March, observed Tue 24 and Wed 25 March.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
import yaml

from hub import clock
from hub.aggregates.case_vocabulary import IntakeAction, PlanReviewOutcome, SupporterStep
from hub.aggregates.notice import Answer
from hub.aggregates.vocabulary import PlacementType
from hub.bootstrap import Hub, bootstrap
from hub.deadlines import Clock, ClockStatus, case_clocks, next_due, referral_clocks
from hub.deadlines.table import packaged_table, packaged_table_text, parse_table
from hub.errors import NotFound
from tests.builders import GTA_OFFICER, MANAGER, NGO_COORDINATOR
from tests.conftest import START, TEST_MASTER_KEY
from tests.scenario import (
    CPM,
    CPR,
    IA,
    SA,
    approve_all,
    care_review,
    case,
    develop,
    drive_to,
    finalise,
    illegal,
    initial,
    meeting,
    notices_about,
    open_case,
    refused,
    social,
    submit,
)

ALMATY = ZoneInfo("Asia/Almaty")
SECOND = timedelta(seconds=1)
RUNNING, DUE_SOON, OVERDUE = ClockStatus.RUNNING, ClockStatus.DUE_SOON, ClockStatus.OVERDUE
MET, MET_LATE = ClockStatus.MET, ClockStatus.MET_LATE
INTAKE = ["gta_notified", "referrer_informed", "supporter_requested", "previous_referrals_checked"]


def at(day: str, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=ALMATY)


def clocks_of(app: Hub, case_id: UUID, now: datetime | None = None) -> list[Clock]:
    """The clocks of the case as the repository rebuilds it from its events."""
    case = app.store.repository.get(case_id)
    return case_clocks(case, [app.store.repository.get(r) for r in case.referral_ids], now or clock.now())


def the(
    app: Hub, case_id: UUID, deadline_id: str, now: datetime | None = None, occurrence: int = 1
) -> Clock:
    every = clocks_of(app, case_id, now)
    found = [c for c in every if c.id == deadline_id and c.occurrence == occurrence]
    assert len(found) == 1, f"{deadline_id}#{occurrence} among {[(c.id, c.occurrence) for c in every]}"
    return found[0]


def ids(clocks: list[Clock]) -> set[str]:
    return {c.id for c in clocks}


# -- steps the recipes share --------------------------------------------------------------------------

Step = Callable[[Any, UUID], Any]


def intake(*actions: str) -> Step:
    def record(app: Any, case_id: UUID) -> None:
        for action in actions:
            app.cases.record_intake_action(MANAGER, case_id, IntakeAction(action), None)

    return record


def assigned(evidence_of_harm: bool) -> Callable[[Any, Any], UUID]:
    def start(app: Any, frozen: Any) -> UUID:
        case_id = open_case(app).id
        app.cases.assign_social_worker(MANAGER, case_id, "d.seitkali", evidence_of_harm)
        return case_id

    return start


def offence_referred(app: Any, frozen: Any) -> UUID:
    return open_case(app, concern__category="physical_violence").id


def at_state(path: str, *then: Step, after: timedelta = timedelta(0)) -> Callable[[Any, Any], UUID]:
    """A case driven to ``path`` at START; then, ``after`` later, the steps that start the clock."""

    def start(app: Any, frozen: Any) -> UUID:
        case_id = drive_to(app, path).id
        frozen.advance(after)
        for step in then:
            step(app, case_id)
        return case_id

    return start


def plan_review(outcome: PlanReviewOutcome) -> Step:
    return lambda app, cid: app.cases.review_protection_plan(MANAGER, cid, outcome, "review minutes", None)


def amend(app: Any, case_id: UUID) -> None:
    app.cases.amend_plan(MANAGER, case_id, "amended plan")


def placed(placement: PlacementType) -> Step:
    return lambda app, cid: app.cases.record_placement(GTA_OFFICER, cid, placement, f"GTA-ALM-2026-{uuid.uuid4().hex[:4]}")


def review_placement(app: Any, case_id: UUID) -> None:
    app.cases.review_placement(MANAGER, case_id, "placement still appropriate")


def follow_ups_to(month: int) -> Step:
    """The follow-ups up to ``month``, the earlier ones late: they are recorded in order."""

    def record(app: Any, case_id: UUID) -> None:
        for m in (1, 3, 6, 12):
            if m <= month:
                app.cases.record_follow_up(MANAGER, case_id, m, False, f"{m}-month visit")

    return record


NGO_ANSWERS = {SupporterStep.NGO_ACCEPTED: Answer.ACCEPT, SupporterStep.NGO_DECLINED: Answer.REFUSE}


def supporter_steps(*steps: SupporterStep) -> Step:
    """The NGO records them itself (decision 0034): its answer to the request's notice, then its supporter's steps."""
    def record(app: Any, case_id: UUID) -> None:
        for step in steps:
            if step in NGO_ANSWERS:
                requests = [n for n in notices_about(app, case(app, case_id)) if n.rule == "cam:N08"]
                if not requests:
                    raise NotFound("no supporter request")
                reasons = ["no supporter free this week"] if step == SupporterStep.NGO_DECLINED else []
                app.notices.answer(NGO_COORDINATOR, requests[0].id, NGO_ANSWERS[step], reasons, None)
            else:
                app.supporter.record_step(NGO_COORDINATOR, case_id, step, None)

    return record


def supporter_requested_on_saturday(app: Any, frozen: Any) -> UUID:
    case_id = open_case(app).id
    frozen.advance(at("2026-03-07", 10) - START)  # Saturday 7 March 10:00, the on-call social worker
    intake("supporter_requested")(app, case_id)
    return case_id


@dataclass(frozen=True)
class Recipe:
    start: Callable[[Any, Any], UUID]  # leaves the clock just started, at the frozen time
    due: datetime
    stop: Step
    occurrence: int = 1


# Each due time is counted from the start in the recipe's comment.
RECIPES: dict[str, Recipe] = {
    # Referral received Mon 2 March 09:00 + 24 h.
    "D03": Recipe(assigned(False), at("2026-03-03", 9), intake(*INTAKE)),
    "N05": Recipe(assigned(False), at("2026-03-03", 9), intake("gta_notified")),
    "D04": Recipe(offence_referred, at("2026-03-03", 9), intake("police_informed")),  # cam N06
    # Referral received Mon 2 March 09:00 + 48 h / + 72 h.
    "D12a": Recipe(assigned(True), at("2026-03-04", 9), initial(IA.SIGNIFICANT_HARM_CONCERN)),
    "D12b": Recipe(assigned(False), at("2026-03-05", 9), initial(IA.SIGNIFICANT_HARM_CONCERN)),
    # Social worker appointed under 8.5.7a Mon 2 March 09:00 + 8 weeks = Mon 27 April.
    "D21": Recipe(at_state("social_assessment"), at("2026-04-27", 9), social(SA.CHILD_PROTECTION_MEETING)),
    # Assessment concluded Thu 19 March 11:00 + 7 working days: Fri 20 (1), Nauryz Sat 21 - Wed 25,
    # Thu 26 (2), Fri 27 (3), Mon 30 (4), Tue 31 (5), Wed 1 April (6), Thu 2 April (7) at 11:00.
    "D22": Recipe(
        at_state("social_assessment", social(SA.CHILD_PROTECTION_MEETING), after=at("2026-03-19", 11) - START),
        at("2026-04-02", 11),
        meeting(CPM.CHILD_PROTECTION_PLAN),
    ),
    # Meeting Mon 2 March 09:00 + 7 working days: Tue 3 - Fri 6 (4), weekend and Women's Day
    # observed Mon 9, Tue 10 (5), Wed 11 (6), Thu 12 March (7) at 09:00.
    "D24": Recipe(at_state("cp_plan_drafting"), at("2026-03-12", 9), finalise()),
    # Plan finalised Mon 2 March 09:00 + 30 days = Wed 1 April.
    "D25": Recipe(at_state("cp_plan_active"), at("2026-04-01", 9), plan_review(PlanReviewOutcome.CONTINUE)),
    # Reviewed Thu 12 March 09:00 + 30 days = Sat 11 April.
    "D26": Recipe(
        at_state("cp_plan_active", plan_review(PlanReviewOutcome.CONTINUE), after=timedelta(days=10)),
        at("2026-04-11", 9),
        plan_review(PlanReviewOutcome.CONTINUE),
    ),
    # Plan finalised Mon 2 March 2026 09:00 + 12 months.
    "D27": Recipe(at_state("cp_plan_active"), at("2027-03-02", 9), plan_review(PlanReviewOutcome.REASSESS)),
    # Review deciding to amend Mon 2 March 09:00 + 7 working days = Thu 12 March (as D24).
    "D29": Recipe(at_state("cp_plan_active", plan_review(PlanReviewOutcome.AMEND)), at("2026-03-12", 9), amend),
    # Removal to alternative care concluded Mon 2 March 09:00 + 21 days = Mon 23 March (Nauryz:
    # calendar days do not skip holidays).
    "D30": Recipe(at_state("care_plan_drafting"), at("2026-03-23", 9), develop),
    # Care plan dated Mon 2 March 09:00 + 28 days = Mon 30 March; approvals do not move it.
    "D31": Recipe(
        at_state("care_plan_pending_approval"),
        at("2026-03-30", 9),
        lambda app, cid: (approve_all(app, cid), care_review(CPR.CONTINUE)(app, cid)),
    ),
    # Reviewed Mon 9 March 09:00 + 3 calendar months = Tue 9 June.
    "D32": Recipe(
        at_state("care_plan_active", care_review(CPR.CONTINUE), after=timedelta(days=7)),
        at("2026-06-09", 9),
        care_review(CPR.CONTINUE),
    ),
    # Review deciding to amend Mon 2 March 09:00 + 7 working days = Thu 12 March.
    "D38": Recipe(at_state("care_plan_active", care_review(CPR.AMEND)), at("2026-03-12", 9), amend),
    # Placed in the residential unit Mon 2 March 09:00 + 1 calendar month / + 3 calendar months.
    "D18-review": Recipe(
        at_state("intake", placed(PlacementType.CAM_CSC_RESIDENTIAL_UNIT)), at("2026-04-02", 9), review_placement
    ),
    "D18-cap": Recipe(
        at_state("intake", placed(PlacementType.CAM_CSC_RESIDENTIAL_UNIT)),
        at("2026-06-02", 9),
        placed(PlacementType.TEMPORARY_FAMILY_BASED),
    ),
    # Placed in residential alternative care Mon 2 March 09:00 + 3 calendar months.
    "D33": Recipe(
        at_state("care_plan_active", placed(PlacementType.RESIDENTIAL)), at("2026-06-02", 9), review_placement
    ),
    # Discharged Mon 2 March 2026 09:00 + 1, 3, 6, 12 calendar months.
    "D40-1": Recipe(at_state("post_care_monitoring"), at("2026-04-02", 9), follow_ups_to(1)),
    "D40-3": Recipe(at_state("post_care_monitoring"), at("2026-06-02", 9), follow_ups_to(3)),
    "D40-6": Recipe(at_state("post_care_monitoring"), at("2026-09-02", 9), follow_ups_to(6)),
    "D40-12": Recipe(at_state("post_care_monitoring"), at("2027-03-02", 9), follow_ups_to(12)),
    # Supporter requested Sat 7 March 10:00: counting starts Tue 10 March (Sun 8, Mon 9 off);
    # 1, 2, 3 working days end as Tue 10, Wed 11, Thu 12 end: at 00:00 the next day.
    "D42": Recipe(supporter_requested_on_saturday, at("2026-03-11"), supporter_steps(SupporterStep.NGO_ACCEPTED)),
    "D43": Recipe(
        supporter_requested_on_saturday,
        at("2026-03-12"),
        supporter_steps(SupporterStep.NGO_ACCEPTED, SupporterStep.SUPPORTER_CONTACTED),
    ),
    "D44": Recipe(
        supporter_requested_on_saturday,
        at("2026-03-13"),
        supporter_steps(SupporterStep.NGO_ACCEPTED, SupporterStep.FIRST_MEETING_HELD),
    ),
}


def test_every_deadline_in_the_table_has_a_recipe() -> None:
    # A referral's own decision clock runs before any case exists: tests/test_ngo_side.py times it.
    assert set(RECIPES) == {d.id for d in packaged_table().deadlines if d.clock != "referral_decision"}


@pytest.mark.parametrize("deadline_id", sorted(RECIPES))
def test_each_deadline_runs_falls_due_soon_is_overdue_after_its_limit_and_is_met_by_its_event(
    app: Hub, frozen, deadline_id: str
) -> None:
    recipe = RECIPES[deadline_id]
    case_id = recipe.start(app, frozen)
    started = frozen.now()

    running = the(app, case_id, deadline_id, occurrence=recipe.occurrence)
    assert (running.status, running.started_at, running.due_at, running.met_at) == (RUNNING, started, recipe.due, None)
    assert running.due_at.tzinfo == ALMATY

    # Not yet due, then due soon for the last fifth of the period (due_soon_fraction), up to the limit
    # itself; overdue one second after it. Asked "as of" those moments, the events unchanged.
    fifth = (recipe.due - started) * 0.2
    status = {
        moment: the(app, case_id, deadline_id, moment, recipe.occurrence).status
        for moment in (recipe.due - fifth - SECOND, recipe.due - fifth, recipe.due, recipe.due + SECOND)
    }
    assert list(status.values()) == [RUNNING, DUE_SOON, DUE_SOON, OVERDUE]

    # The frozen clock moves to an hour before the limit, where the event that meets it is recorded.
    frozen.advance(recipe.due - timedelta(hours=1) - frozen.now())
    recipe.stop(app, case_id)
    met = the(app, case_id, deadline_id, occurrence=recipe.occurrence)
    assert (met.status, met.started_at, met.due_at, met.met_at) == (MET, started, recipe.due, frozen.now())
    assert the(app, case_id, deadline_id, recipe.due + timedelta(days=400), recipe.occurrence).status == MET


# -- how clocks start, stop and lapse ----------------------------------------------------------------


def test_intake_is_met_only_when_all_four_actions_are_recorded(app: Hub, frozen) -> None:
    case_id = open_case(app).id
    frozen.advance(timedelta(hours=2))
    intake("gta_notified", "referrer_informed", "supporter_requested")(app, case_id)
    assert the(app, case_id, "N05").status == MET and the(app, case_id, "D03").status == RUNNING
    frozen.advance(timedelta(hours=23))  # 25 hours after the referral
    intake("previous_referrals_checked")(app, case_id)
    late = the(app, case_id, "D03")
    assert (late.status, late.met_at) == (MET_LATE, START + timedelta(hours=25))


def test_the_police_are_informed_within_24_hours_only_of_an_offence_and_the_inspection_meets_it_too(app: Hub) -> None:
    assert "D04" not in ids(clocks_of(app, open_case(app).id))  # an unaccompanied child: no offence (cam N06)
    case_id = offence_referred(app, None)
    intake("migration_service_informed")(app, case_id)
    assert the(app, case_id, "D04").status == RUNNING  # never without a legal basis: it does not meet it
    intake("juvenile_inspection_informed")(app, case_id)
    assert the(app, case_id, "D04").status == MET


def test_the_48_hours_apply_until_the_manager_says_there_is_no_evidence_of_harm(app: Hub) -> None:
    case_id = open_case(app).id
    assert "D12a" in ids(clocks_of(app, case_id)) and "D12b" not in ids(clocks_of(app, case_id))
    app.cases.assign_social_worker(MANAGER, case_id, "d.seitkali", False)
    assert "D12b" in ids(clocks_of(app, case_id)) and "D12a" not in ids(clocks_of(app, case_id))


def test_a_removal_after_the_referral_gives_48_hours_from_the_removal(app: Hub, frozen) -> None:
    case_id = assigned(False)(app, frozen)
    frozen.advance(timedelta(hours=10))
    placed(PlacementType.REMOVED_TEMPORARY_PROTECTION)(app, case_id)
    assessment = the(app, case_id, "D12a")
    # Removed Mon 2 March 19:00 (10 h after the referral) + 48 h = Wed 4 March 19:00.
    assert (assessment.started_at, assessment.due_at) == (at("2026-03-02", 19), at("2026-03-04", 19))
    assert "D12b" not in ids(clocks_of(app, case_id))


def test_an_assessment_after_its_limit_is_met_late(app: Hub, frozen) -> None:
    case_id = assigned(False)(app, frozen)
    frozen.advance(timedelta(hours=73))
    initial(IA.SIGNIFICANT_HARM_CONCERN)(app, case_id)
    late = the(app, case_id, "D12b")
    assert (late.status, late.due_at, late.met_at) == (MET_LATE, at("2026-03-05", 9), at("2026-03-05", 10))


def test_closure_stops_the_clocks_and_keeps_a_breach(app: Hub, frozen) -> None:
    early = assigned(False)(app, frozen)
    initial(IA.NO_FURTHER_ACTION)(app, early)  # closed at once: the intake duty lapses unmet, in time
    assert ids(clocks_of(app, early)) == {"D12b"}

    late = assigned(False)(app, frozen)
    frozen.advance(timedelta(hours=30))
    initial(IA.NO_FURTHER_ACTION)(app, late)  # closed 30 hours after the referral, intake never recorded
    a_year_on = frozen.now() + timedelta(days=365)
    by_id = {c.id: c for c in clocks_of(app, late, a_year_on)}
    assert {i: c.status for i, c in by_id.items()} == {"D03": OVERDUE, "N05": OVERDUE, "D12b": MET}
    assert next_due(clocks_of(app, late, a_year_on)).id == "D03"


def test_plan_reviews_repeat_and_end_with_the_plan(app: Hub, frozen) -> None:
    case_id = drive_to(app, "cp_plan_active").id
    frozen.advance(timedelta(days=20))
    plan_review(PlanReviewOutcome.CONTINUE)(app, case_id)  # Sun 22 March: first review, on time
    frozen.advance(timedelta(days=40))
    plan_review(PlanReviewOutcome.CONTINUE)(app, case_id)  # Fri 1 May: 40 days after the first
    reviews = [(c.occurrence, c.started_at, c.status) for c in clocks_of(app, case_id) if c.id == "D26"]
    assert reviews == [(1, at("2026-03-22", 9), MET_LATE), (2, at("2026-05-01", 9), RUNNING)]
    assert the(app, case_id, "D25").status == MET

    frozen.advance(timedelta(days=10))
    plan_review(PlanReviewOutcome.NO_LONGER_NECESSARY)(app, case_id)  # the plan, and the case, end
    statuses = {(c.id, c.occurrence): c.status for c in clocks_of(app, case_id) if c.id in ("D26", "D27")}
    assert statuses == {("D26", 1): MET_LATE, ("D26", 2): MET, ("D27", 1): MET}


def test_a_refused_supporter_request_ends_the_supporters_clocks(app: Hub, frozen) -> None:
    case_id = supporter_requested_on_saturday(app, frozen)
    frozen.advance(timedelta(days=3))  # Tue 10 March 10:00
    supporter_steps(SupporterStep.NGO_DECLINED)(app, case_id)
    assert the(app, case_id, "D42").status == MET
    assert not ids(clocks_of(app, case_id)) & {"D43", "D44"}


def test_a_reassessment_ends_the_follow_ups(app: Hub, frozen) -> None:
    case_id = drive_to(app, "post_care_monitoring").id
    frozen.advance(at("2026-04-01", 9) - START)
    app.cases.record_follow_up(MANAGER, case_id, 1, True, "the child is not safe at home")
    app.cases.reassess_after_follow_up(MANAGER, case_id, "concern at the 1-month follow-up")
    found = {c.id: c.status for c in clocks_of(app, case_id, frozen.now() + timedelta(days=400))}
    assert found["D40-1"] == MET and not set(found) & {"D40-3", "D40-6", "D40-12"}
    assert the(app, case_id, "D21").started_at == at("2026-04-01", 9)


def test_the_steps_that_stop_clocks_are_refused_out_of_turn(app: Hub) -> None:
    case_id = drive_to(app, "cp_plan_active").id
    with refused(app, rule="no-amendment-due"):
        amend(app, case_id)
    with refused(app, rule="no-placement"):
        review_placement(app, case_id)
    with refused(app, NotFound):  # nothing was asked of the NGO
        supporter_steps(SupporterStep.NGO_ACCEPTED)(app, case_id)
    intake("supporter_requested")(app, case_id)
    with refused(app, NotFound):  # the NGO has not accepted: the case is not its to act on
        supporter_steps(SupporterStep.FIRST_MEETING_HELD)(app, case_id)
    supporter_steps(SupporterStep.NGO_DECLINED)(app, case_id)
    with illegal(app, "answered", "answer"):  # the NGO answers once
        supporter_steps(SupporterStep.NGO_ACCEPTED)(app, case_id)
    plan_review(PlanReviewOutcome.AMEND)(app, case_id)
    amend(app, case_id)
    with refused(app, rule="no-amendment-due"):  # one amendment per review that asks for it
        amend(app, case_id)


def test_a_referral_not_yet_accepted_runs_the_intake_clocks(app: Hub, frozen) -> None:
    referral = submit(app)
    pending = referral_clocks(referral, frozen.now() + timedelta(hours=20))
    assert [(c.id, c.subject, c.due_at, c.status) for c in pending] == [
        ("D03", "referral", at("2026-03-03", 9), DUE_SOON),
        ("N05", "referral", at("2026-03-03", 9), DUE_SOON),
    ]
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    case = app.referrals.accept_referral(MANAGER, referral.id)
    assert referral_clocks(app.store.repository.get(referral.id), frozen.now()) == []
    assert the(app, case.id, "D03").due_at == at("2026-03-03", 9)  # the case carries it on


def test_a_limit_changed_in_the_table_changes_the_clock(app: Hub) -> None:
    data = yaml.safe_load(packaged_table_text())
    next(d for d in data["deadlines"] if d["id"] == "D22")["limit"] = {"amount": 10, "unit": "working_days"}
    table = parse_table(yaml.safe_dump(data))
    case = drive_to(app, "cp_meeting_pending")  # the assessment concluded Mon 2 March 09:00
    referrals = [app.store.repository.get(case.referral_ids[0])]
    meeting_clock = next(c for c in case_clocks(case, referrals, clock.now(), table=table) if c.id == "D22")
    # 10 working days: Tue 3 - Fri 6 (4), Women's Day observed Mon 9, Tue 10 - Fri 13 (8), Mon 16, Tue 17.
    assert meeting_clock.due_at == at("2026-03-17", 9)


def test_the_case_must_come_with_its_opening_referral(app: Hub) -> None:
    case = open_case(app)
    with pytest.raises(ValueError, match="opened case"):
        case_clocks(case, [], clock.now())


def test_next_due_is_the_open_clock_that_falls_due_first(app: Hub, frozen) -> None:
    case_id = assigned(False)(app, frozen)
    assert next_due(clocks_of(app, case_id)).id == "D03"  # 24 h, before N05's same time by id, and D12b's 72 h
    intake(*INTAKE)(app, case_id)  # the supporter request starts the NGO's working day
    first = next_due(clocks_of(app, case_id))
    assert (first.id, first.due_at) == ("D42", at("2026-03-03", 9))
    supporter_steps(SupporterStep.NGO_DECLINED)(app, case_id)
    assert next_due(clocks_of(app, case_id)).id == "D12b"


def test_replaying_the_log_gives_the_same_clocks(app: Hub, frozen, store_url: str) -> None:
    """Clocks come from event timestamps only: a case rebuilt by another process later agrees."""
    case_id = drive_to(app, "cp_plan_active").id
    for step, wait in [
        (intake(*INTAKE), timedelta(hours=3)),
        (placed(PlacementType.CAM_CSC_RESIDENTIAL_UNIT), timedelta(days=1)),
        (supporter_steps(SupporterStep.NGO_ACCEPTED), timedelta(days=2)),
        (plan_review(PlanReviewOutcome.AMEND), timedelta(days=9)),
        (review_placement, timedelta(days=30)),
    ]:
        frozen.advance(wait)
        step(app, case_id)
    now = frozen.now() + timedelta(days=1)
    before = clocks_of(app, case_id, now)
    assert len(before) >= 10

    frozen.advance(timedelta(days=40))  # an event body that read the clock would now rebuild differently
    other = bootstrap({"HUB_DATABASE_URL": store_url, "HUB_MASTER_KEY": TEST_MASTER_KEY})
    try:
        assert clocks_of(other, case_id, now) == before
    finally:
        other.close()
