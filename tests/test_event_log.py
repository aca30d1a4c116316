"""The log itself: every event says who did it, when, and is never changed."""

from __future__ import annotations

import io
from datetime import timedelta

from hub.aggregates.case_vocabulary import CarePlanReviewOutcome
from hub.aggregates.vocabulary import PlacementType
from hub.bootstrap import Hub
from hub.demo.scenario import run
from tests.builders import GTA_OFFICER, MANAGER
from tests.scenario import drive_to


def test_every_event_of_the_demo_names_agency_role_user_and_time(app: Hub) -> None:
    run(app, io.StringIO())
    notifications = app.store.recorder.select_notifications(start=1, limit=10_000)
    assert len(notifications) > 30
    for notification in notifications:
        event = app.store.mapper.to_domain_event(notification)
        actor = event.actor
        assert actor.agency and actor.role and actor.user, type(event).__qualname__
        assert event.timestamp.tzinfo is not None


def test_state_rebuilt_from_the_log_equals_the_state_the_commands_left(app: Hub, frozen) -> None:
    """Event bodies must derive state only from the event: no clock reads, no randomness."""
    case_id = drive_to(app, "care_plan_active").id
    app.cases.record_placement(GTA_OFFICER, case_id, PlacementType.FAMILY_BASED, "GTA-ALM-2026-0468")
    commanded = app.cases.review_care_plan(MANAGER, case_id, CarePlanReviewOutcome.CONTINUE, "settled")
    frozen.advance(timedelta(days=40))  # a body that read the clock would now rebuild differently
    rebuilt = app.store.repository.get(case_id)
    assert vars(rebuilt) == vars(commanded)
