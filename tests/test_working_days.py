"""Working-day and calendar arithmetic for deadlines, in Almaty time with Kazakhstan's holidays.

Every expected date below is counted by hand in the comment next to it; the
holidays are the ones the ``holidays`` package gives for Kazakhstan, checked
first so that a change of the package's data shows here and not as an
unexplained date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hub.deadlines.calendar import Unit, WorkingCalendar

ALMATY = ZoneInfo("Asia/Almaty")
KZ = WorkingCalendar()


def at(day: str, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=ALMATY)


def test_nauryz_2026_is_five_days_off_with_its_weekend_transfers() -> None:
    # Nauryz is 21-23 March; 2026 puts two of them on a weekend, so Tuesday 24 and
    # Wednesday 25 are days off in their place (Labour Code art. 85, as the package has it).
    assert KZ.holiday(date(2026, 3, 23)) == "Nowruz Holiday"
    assert KZ.holiday(date(2026, 3, 24)) == "Nowruz Holiday (observed)"
    assert KZ.holiday(date(2026, 3, 25)) == "Nowruz Holiday (observed)"
    days = [date(2026, 3, 19) + timedelta(days=i) for i in range(8)]  # Thursday 19 to Thursday 26
    assert [KZ.is_working_day(d) for d in days] == [True, True, False, False, False, False, False, True]


def test_seven_working_days_from_the_thursday_before_nauryz() -> None:
    # Thu 19 March 11:00: Fri 20 (1), Sat 21-Wed 25 off, Thu 26 (2), Fri 27 (3),
    # Mon 30 (4), Tue 31 (5), Wed 1 April (6), Thu 2 April (7), at 11:00.
    assert KZ.add_working_days(at("2026-03-19", 11), 7) == at("2026-04-02", 11)


def test_a_weekend_and_womens_day_observed_on_monday() -> None:
    # Women's Day, Sunday 8 March 2026, is observed on Monday 9: Fri 6 10:00 + 1 working day
    # skips Sat 7, Sun 8 and Mon 9 and ends Tue 10 at 10:00.
    assert KZ.holiday(date(2026, 3, 9)) == "International Women's Day (observed)"
    assert KZ.add_working_days(at("2026-03-06", 10), 1) == at("2026-03-10", 10)


def test_a_clock_started_on_a_day_off_counts_from_the_next_working_day() -> None:
    # Started Sat 7 March 10:00: counting starts Tue 10 at 00:00 (Sun 8 and Mon 9 are off),
    # so one working day ends as Tuesday ends, Wed 11 at 00:00; three (Tue, Wed, Thu) end Fri 13
    # at 00:00; none ends where the counting starts.
    assert KZ.add_working_days(at("2026-03-07", 10), 1) == at("2026-03-11")
    assert KZ.add_working_days(at("2026-03-07", 10), 3) == at("2026-03-13")
    assert KZ.add_working_days(at("2026-03-07", 10), 0) == at("2026-03-10")


def test_a_clock_started_at_midnight_counts_that_whole_day() -> None:
    # Thu 19 March 00:00 + 2 working days = all of Thursday and Friday: Sat 21 at 00:00,
    # even though Saturday is a holiday (the period ends as Friday ends).
    assert KZ.add_working_days(at("2026-03-19"), 2) == at("2026-03-21")


def test_a_weekend_day_decreed_a_working_day_counts() -> None:
    # The government moved 2025's day off: Fri 3 January was off, Sun 5 January worked.
    # Tue 31 Dec 2024 10:00 + 1: 1-2 Jan New Year, 3 Jan off, Sat 4 weekend, Sun 5 works.
    assert KZ.is_working_day(date(2025, 1, 5)) and not KZ.is_working_day(date(2025, 1, 3))
    assert KZ.add_working_days(at("2024-12-31", 10), 1) == at("2025-01-05", 10)


def test_units_are_kept_apart() -> None:
    start = at("2026-03-02", 9)  # Monday
    assert KZ.add(start, 24, Unit.HOURS) == at("2026-03-03", 9)
    assert KZ.add(start, 21, Unit.CALENDAR_DAYS) == at("2026-03-23", 9)  # a holiday: calendar days do not care
    assert KZ.add(start, 8, Unit.WEEKS) == at("2026-04-27", 9)
    assert KZ.add(start, 3, Unit.CALENDAR_MONTHS) == at("2026-06-02", 9)
    assert KZ.add(start, 7, Unit.WORKING_DAYS) == at("2026-03-12", 9)  # Tue 3..Fri 6, Tue 10..Thu 12


def test_months_are_counted_on_the_local_calendar() -> None:
    # 31 January 02:00 in Almaty is still 30 January in UTC; a month later is the local
    # month's last day, 28 February 02:00, not 28 February 02:00 UTC.
    start = at("2026-01-31", 2)
    assert start.astimezone(UTC).day == 30
    assert KZ.add(start.astimezone(UTC), 1, Unit.CALENDAR_MONTHS) == at("2026-02-28", 2)


def test_results_are_local_times_whatever_the_input_zone() -> None:
    due = KZ.add(datetime(2026, 3, 2, 4, 0, tzinfo=UTC), 48, Unit.HOURS)
    assert due.tzinfo == ALMATY and due == at("2026-03-04", 9)


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        KZ.add(datetime(2026, 3, 2, 9), 1, Unit.HOURS)


def test_the_country_and_timezone_are_a_deployments_choice() -> None:
    berlin = WorkingCalendar.from_env({"HUB_HOLIDAYS_COUNTRY": "DE", "HUB_TIMEZONE": "Europe/Berlin"})
    easter_monday = date(2026, 4, 6)
    assert not berlin.is_working_day(easter_monday) and KZ.is_working_day(easter_monday)
    assert berlin.add(datetime(2026, 3, 2, 8, tzinfo=UTC), 1, Unit.HOURS).utcoffset() == timedelta(hours=1)
    assert WorkingCalendar.from_env({}).country == "KZ"
