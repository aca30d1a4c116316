"""Deadline arithmetic in local time, with the country's public holidays.

The manuals keep their units apart (cam-csc-manual §4): hours, calendar days,
weeks, calendar months and working days. Deadlines are given to people in
local time, so every unit but hours is counted on the local calendar.

Working days are the days that are neither a weekend day nor a public holiday
as the ``holidays`` package knows them, including days off moved from a
weekend ("observed") and weekend days decreed to be worked. A period of N
working days is N whole working days of elapsed time (docs/decisions/0010):

- started on a working day at 15:00, it ends at 15:00 on the Nth working day
  after it;
- started on a non-working day, it counts from 00:00 of the next working day,
  so it ends at midnight closing the Nth working day counted from there.

The country and timezone are a deployment's choice: ``HUB_HOLIDAYS_COUNTRY``
(default ``KZ``) and ``HUB_TIMEZONE`` (default ``Asia/Almaty``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import holidays

from hub.months import add_months

DEFAULT_COUNTRY = "KZ"
DEFAULT_TIMEZONE = "Asia/Almaty"
DAY = timedelta(days=1)


class Unit(StrEnum):
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"
    CALENDAR_MONTHS = "calendar_months"


class WorkingCalendar:
    def __init__(self, country: str = DEFAULT_COUNTRY, timezone: str = DEFAULT_TIMEZONE) -> None:
        self.country = country
        self.tz = ZoneInfo(timezone)
        # The package computes a year's holidays on first use; a lock keeps that safe
        # when requests on several threads ask at once.
        self._holidays = holidays.country_holidays(country, years=[])
        self._lock = threading.Lock()
        # Each day's answer, once asked: the package takes a few microseconds a day, and a notice's deadline
        # of ten working days asks about a fortnight of them (issue #13). A day's answer never changes.
        self._working: dict[date, bool] = {}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WorkingCalendar:
        env = os.environ if environ is None else environ
        return cls(env.get("HUB_HOLIDAYS_COUNTRY", DEFAULT_COUNTRY), env.get("HUB_TIMEZONE", DEFAULT_TIMEZONE))

    def local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("deadline arithmetic needs timezone-aware datetimes")
        return moment.astimezone(self.tz)

    def is_working_day(self, day: date) -> bool:
        known = self._working.get(day)
        if known is None:
            with self._lock:
                known = self._working[day] = self._holidays.is_working_day(day)
        return known

    def holiday(self, day: date) -> str | None:
        """The public holiday's name, if the day is one."""
        with self._lock:
            return self._holidays.get(day)

    def next_working_day(self, day: date) -> date:
        """The first working day after ``day``."""
        day += DAY
        while not self.is_working_day(day):
            day += DAY
        return day

    def add_working_days(self, start: datetime, days: int) -> datetime:
        local = self.local(start)
        day, into_day = local.date(), local - self._midnight(local.date())
        if not self.is_working_day(day):
            day, into_day = self.next_working_day(day), timedelta(0)
        if days == 0:
            return self._midnight(day) + into_day
        if into_day == timedelta(0):
            # The start's own day is the first whole working day: the period ends when the Nth closes.
            for _ in range(days - 1):
                day = self.next_working_day(day)
            return self._midnight(day + DAY)
        for _ in range(days):
            day = self.next_working_day(day)
        return self._midnight(day) + into_day

    def before(self, end: datetime, amount: int, unit: Unit | str) -> datetime:
        """The moment ``amount`` of ``unit`` before ``end``, for limits counted back from a meeting: working
        days step back over weekends and holidays to the same time of day; other units are elapsed time."""
        if amount < 0:
            raise ValueError("a limit is never negative")
        local = self.local(end)
        if Unit(unit) != Unit.WORKING_DAYS:
            return local - (self.add(local, amount, unit) - local)
        day = local.date()
        for _ in range(amount):
            day -= DAY
            while not self.is_working_day(day):
                day -= DAY
        return self._midnight(day) + (local - self._midnight(local.date()))

    def add(self, start: datetime, amount: int, unit: Unit | str) -> datetime:
        """``start`` plus ``amount`` of ``unit``, in local time (hours are elapsed time)."""
        if amount < 0:
            raise ValueError("a limit is never negative")
        local = self.local(start)
        match Unit(unit):
            case Unit.HOURS:
                return self.local(start + timedelta(hours=amount))
            case Unit.CALENDAR_DAYS:
                return local + timedelta(days=amount)  # an aware datetime keeps its wall-clock time
            case Unit.WEEKS:
                return local + timedelta(weeks=amount)
            case Unit.CALENDAR_MONTHS:
                return add_months(local, amount)
            case Unit.WORKING_DAYS:
                return self.add_working_days(local, amount)

    def _midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.tz)
