"""The deadline table (hub/policy/deadlines.yaml): well-formed, complete against the manual, in step with the code."""

from __future__ import annotations

import re

import pytest
import yaml
from pydantic import ValidationError

from hub.deadlines.spans import SPANS
from hub.deadlines.table import packaged_table, packaged_table_text, parse_table

TABLE = packaged_table()

# The limits as cam-csc-manual §4 writes them (line numbers there), units kept apart.
MANUAL = {
    "D03": "24 hours",  # L1741
    "D04": "24 hours",  # L2083, cam N06
    "N05": "24 hours",  # L1745
    "D12a": "48 hours",  # L1920
    "D12b": "72 hours",  # L1930
    "D18-review": "1 calendar month",  # L2454 "at least every calendar month"
    "D18-cap": "3 calendar months",  # L2464 "does not exceed a period of 3 months"
    "D21": "8 weeks",  # L2620 "eight weeks"
    "D22": "7 working days",  # L2909
    "D24": "7 working days",  # L3303
    "D25": "30 calendar days",  # L3333 "within 30 days"
    "D26": "30 calendar days",  # L3409
    "D27": "12 calendar months",  # L3299
    "D29": "7 working days",  # L3488
    "D30": "21 calendar days",  # L3605
    "D31": "28 calendar days",  # L3644, L3923
    "D32": "3 calendar months",  # L3925 "every three months"
    "D33": "3 calendar months",  # L3699
    "D38": "7 working days",  # L4181
    "D40-1": "1 calendar month",  # L4160
    "D40-3": "3 calendar months",
    "D40-6": "6 calendar months",
    "D40-12": "12 calendar months",  # "1 year"
    "D42": "1 working day",  # L4352
    "D43": "2 working days",  # L4393
    "D44": "3 working days",  # L4397
    "NGO-D03": "2 working days",  # ngo-services-manual L1097 (D03), L1493 (D24)
    "GTA-ACK": "24 hours",  # no limit in the manuals: the centre's D03 (c) by analogy (decision 0050)
}


def test_every_clocked_deadline_has_the_manuals_limit() -> None:
    assert {d.id: str(d.limit) for d in TABLE.deadlines} == MANUAL


def test_every_deadline_of_the_manual_is_clocked_or_says_why_not() -> None:
    clocked = {d.id[:3] for d in TABLE.deadlines if re.match(r"D\d\d", d.id)}  # D12a -> D12, D40-1 -> D40
    explained = {i for entry in TABLE.not_clocked for i in entry.ids}
    assert clocked.isdisjoint(explained), clocked & explained
    assert clocked | explained == {f"D{n:02}" for n in range(1, 57)}


def test_every_entry_names_its_source_who_acts_and_what_starts_and_stops_it() -> None:
    for deadline in TABLE.deadlines:
        assert deadline.source.manual and re.search(r"L\d{3,4}", deadline.source.lines), deadline.id
        assert deadline.who and deadline.starts.event and deadline.stops, deadline.id
        assert deadline.clock in SPANS, deadline.id
    assert all(d.repeats for d in TABLE.deadlines if d.clock in ("next_plan_review", "placement_review"))


def test_the_ambiguous_readings_are_written_in_the_table() -> None:
    assert "date of the care plan" in (TABLE.by_id("D31").decision or "")
    assert any("D36" in entry.ids and "before the review" in entry.why for entry in TABLE.not_clocked)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d["deadlines"][0]["limit"].update(unit="fortnights"), "unit"),
        (lambda d: d["deadlines"][0]["limit"].update(amount=0), "amount"),
        (lambda d: d["deadlines"][0].update(clock="astrology"), "astrology"),
        (lambda d: d["deadlines"][1].update(id="D03"), "repeat"),
        (lambda d: d["deadlines"][0].update(colour="red"), "colour"),
    ],
)
def test_a_malformed_table_does_not_load(change, complaint: str) -> None:
    data = yaml.safe_load(packaged_table_text())
    change(data)
    with pytest.raises((ValidationError, ValueError), match=complaint):
        parse_table(yaml.safe_dump(data))
