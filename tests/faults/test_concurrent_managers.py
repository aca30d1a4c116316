"""Two managers acting on one case at once, over real HTTP: one wins, the other is answered 409 with a
problem+json that says why, and nothing of the loser's command is recorded. Where two bodies record
things that do not exclude each other (the GTA's and the CIM's approvals of one care plan), both stand.

Each round sends the two requests together, and the server lets each save only once the other has
decided too (tests/faults/rendezvous.py), so every round is the race, not only the unlucky ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest

from hub.actor import Actor
from hub.api.app import create_app
from hub.api.server import serving_in_background
from hub.bootstrap import Hub
from tests.api_support import assert_problem, bearer, post_together
from tests.builders import CIM_OFFICER, GTA_OFFICER, MANAGER
from tests.faults.rendezvous import SavesMeet
from tests.scenario import drive_to, submit

pytestmark = [pytest.mark.faults, pytest.mark.parametrize("store_url", ["postgres"], indirect=True)]

OTHER_MANAGER = Actor(MANAGER.agency, MANAGER.role, "b.omarova")
ROUNDS = 3


@dataclass(frozen=True)
class Move:
    body: dict[str, Any]
    event: str  # the first event the command appends to the record, when it wins
    carries: dict[str, Any]  # what that event records of the decision


@dataclass(frozen=True)
class Race:
    name: str
    subject: Callable[[Hub], UUID]  # a fresh record in the state both decide on
    path: str
    moves: tuple[Move, Move]
    refusal: str  # the loser's problem type: what the loser is told, the detail saying the rest


def _case_in(state: str) -> Callable[[Hub], UUID]:
    return lambda app: drive_to(app, state).id


def _acknowledged_referral(app: Hub) -> UUID:
    referral = submit(app)
    app.referrals.acknowledge_referral(MANAGER, referral.id)
    return referral.id


RACES = [
    Race(
        "initial assessment", _case_in("initial_assessment"), "/v1/cases/{}/initial-assessment",
        (
            Move({"outcome": "significant_harm_concern", "summary": "bruises"}, "Case.InitialAssessmentConcluded",
                 {"outcome": "significant_harm_concern"}),
            Move({"outcome": "no_further_action", "summary": "nothing found"}, "Case.InitialAssessmentConcluded",
                 {"outcome": "no_further_action"}),
        ),
        "conflict",
    ),
    Race(  # continuing leaves the plan where it was: re-run on it, closing it would be recorded as well
        "plan review", _case_in("cp_plan_active"), "/v1/cases/{}/protection-plan/reviews",
        (
            Move({"outcome": "continue", "minutes": "keep going"}, "Case.ProtectionPlanReviewed",
                 {"outcome": "continue"}),
            Move({"outcome": "no_longer_necessary", "minutes": "safe now"}, "Case.ProtectionPlanReviewed",
                 {"outcome": "no_longer_necessary"}),
        ),
        "conflict",
    ),
    Race(  # the loser's command, run again, meets a referral already decided: an illegal transition
        "referral decision", _acknowledged_referral, "/v1/referrals/{}/{}",
        (
            Move({}, "Referral.Accepted", {}),
            Move({"reasons": ["outside our area"]}, "Referral.Declined", {"reasons": ["outside our area"]}),
        ),
        "illegal-transition",
    ),
]


def _path(race: Race, subject: UUID, move: Move) -> str:
    if race.name == "referral decision":
        return race.path.format(subject, "accept" if move.event == "Referral.Accepted" else "decline")
    return race.path.format(subject)


def _events(app: Hub, record_id: UUID) -> list[Any]:
    return list(app.store.events.get(record_id))


def _users_since(app: Hub, position: int) -> set[str]:
    """Who acted in the events appended after ``position``."""
    return {
        event.actor.user
        for n in app.store.recorder.select_notifications(position + 1, 10_000)
        if (event := app.store.mapper.to_domain_event(n)) and getattr(event, "actor", None) is not None
    }


@pytest.mark.parametrize("race", RACES, ids=[r.name for r in RACES])
def test_two_managers_deciding_one_step_at_once_one_wins_and_the_other_is_refused_with_409(
    app: Hub, race: Race
) -> None:
    managers = [(MANAGER, bearer(app, MANAGER)), (OTHER_MANAGER, bearer(app, OTHER_MANAGER))]
    with serving_in_background(create_app(app)) as base_url:
        for round_ in range(ROUNDS):
            subject = race.subject(app)
            before, position = _events(app, subject), app.store.recorder.max_notification_id()
            # Each round the other manager sends the first move, so each move gets to win or lose.
            pairs = list(zip(managers if round_ % 2 == 0 else managers[::-1], race.moves, strict=True))
            with SavesMeet(app, subject):
                responses = post_together(
                    base_url, [(_path(race, subject, move), move.body, token) for (_, token), move in pairs]
                )
            won = [i for i, r in enumerate(responses) if r.is_success]
            assert len(won) == 1, [r.text for r in responses]
            (winner, _), move = pairs[won[0]]
            (loser, _), _ = pairs[1 - won[0]]
            assert_problem(responses[1 - won[0]], 409, race.refusal)

            appended = _events(app, subject)[len(before):]
            decided = [e for e in appended if type(e).__qualname__ == move.event]
            assert len(decided) == 1 and {k: getattr(decided[0], k) for k in move.carries} == move.carries
            assert {e.actor for e in appended} == {winner}
            assert loser.user not in _users_since(app, position)  # the loser's attempt left nothing


def test_the_gta_and_the_cim_approving_one_care_plan_at_once_both_count(app: Hub) -> None:
    case_id = drive_to(app, "care_plan_pending_approval").id
    approvals = [(GTA_OFFICER, "gta"), (CIM_OFFICER, "cim")]
    path = f"/v1/cases/{case_id}/care-plan/approvals"
    with serving_in_background(create_app(app)) as base_url, SavesMeet(app, case_id):
        responses = post_together(base_url, [(path, {"approver": who}, bearer(app, actor)) for actor, who in approvals])
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    approved = [(e.actor, e.approver) for e in _events(app, case_id) if type(e).__qualname__ == "Case.CarePlanApproved"]
    assert len(approved) == 2 and set(approved) == set(approvals)
