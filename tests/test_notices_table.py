"""The notices table (hub/policy/notices.yaml, printed by ``hub policy table``): complete against both manuals, and
honest: it calls a notice produced only when the hub records the event that raises it and a rule raises it."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import hub.aggregates
from hub.notices.render import render_notices
from hub.notices.status import status_of, trigger_events
from hub.notices.table import packaged_notices

TABLE = packaged_notices()
RENDERED = render_notices(TABLE)


def _is_recorded(event: str) -> bool:
    """Whether some aggregate of hub/aggregates has this ``@event`` (``Case.RemovalDecided``)."""
    aggregate, name = event.split(".")
    for module in pkgutil.iter_modules(hub.aggregates.__path__):
        cls = getattr(importlib.import_module(f"hub.aggregates.{module.name}"), aggregate, None)
        if isinstance(cls, type) and isinstance(getattr(cls, name, None), type):
            return True
    return False


def _row(notice_id: str) -> str:
    return next(line for line in RENDERED.splitlines() if line.startswith(f"| {notice_id} |"))


def test_every_notification_of_both_manuals_is_listed_once() -> None:
    ids = [n.id for n in TABLE.notices]
    assert {i for i in ids if i.startswith("cam:N")} == {f"cam:N{n:02}" for n in range(1, 56)}
    assert {i for i in ids if i.startswith("ngo:N")} == {f"ngo:N{n:02}" for n in range(1, 37)}


@pytest.mark.parametrize("entry", [n for n in TABLE.notices if n.produce], ids=lambda n: n.id)
def test_every_rule_is_raised_on_an_event_the_hub_records(entry) -> None:
    assert [r.event for r in entry.produce if not _is_recorded(r.event)] == []


@pytest.mark.parametrize("entry", [n for n in TABLE.notices if n.produced], ids=lambda n: n.id)
def test_a_notice_meant_to_be_produced_is_called_produced_only_once_its_event_is_recorded(entry) -> None:
    unrecorded = [e for e in trigger_events(entry) if not _is_recorded(e)]
    row = _row(entry.id)
    if unrecorded:
        assert f"**not produced yet**: the hub does not record {', '.join(unrecorded)}" in row
        assert not status_of(entry, TABLE).produced
    elif entry.form == "notice" and not entry.produce and not getattr(entry, "produced_as", None):
        assert "**not produced yet**: no rule of notices.yaml raises it" in row
    assert ("not produced" in row) != status_of(entry, TABLE).produced


def test_the_count_of_produced_notices_is_the_rows_that_say_so() -> None:
    produced = sum(1 for n in TABLE.notices if "not produced" not in _row(n.id))
    assert re.search(rf"Every notification of both manuals: {produced} produced, {len(TABLE.notices) - produced} not",
                     RENDERED)


def test_a_notice_not_produced_by_intent_says_why() -> None:
    for entry in TABLE.notices:
        if not entry.produced:
            assert f"**not produced**: {' '.join(entry.reason.split())[:40]}" in _row(entry.id), entry.id
