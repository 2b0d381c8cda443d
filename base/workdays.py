"""The Kazakhstan working-day calendar and the shop's time zone: every deadline in working or calendar days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=128)
def public_holidays(country: str, year: int) -> frozenset[date]:
    """The country's public holidays (observed days included) in one year; cached because it never changes."""
    return frozenset(holidays.country_holidays(country, years=year))


@dataclass(frozen=True)
class WorkingCalendar:
    """Mon–Fri minus public holidays, adjusted by government decrees the `holidays` package does not know.

    `extra_days_off` are bridge days declared non-working; `extra_working_days` are transfer working days
    (a Saturday worked in exchange for a bridge day) and win over weekends and holidays.
    """

    country: str = "KZ"
    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off or day.weekday() >= 5:
            return False
        return day not in public_holidays(self.country, day.year)

    def working_day_on_or_after(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`, whatever `day` is."""
        return self.working_day_on_or_after(day + ONE_DAY)

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day strictly after `day` (n < 0: before it); n == 0 returns `day` unchanged.

        For n >= 0 it inverts `working_days_between`: working_days_between(d, add_working_days(d, n)) == n.
        """
        step = ONE_DAY if n >= 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end] — the start day is not counted, the end day is; negative when end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def deadline_after_working_days(start_date: date, n: int, calendar: WorkingCalendar) -> date:
    """A deadline of n working days from `start_date` (e.g. REF-5 card refund: 3, RET-7 inspection: 5)."""
    if n < 0:
        raise ValueError("a deadline cannot lie before its start")
    return calendar.add_working_days(start_date, n)


def deadline_after_calendar_days(start_date: date, n: int) -> date:
    """A deadline of n calendar days from `start_date` (e.g. REF-5 cash refund: 10, LOY-6 accrual: 7)."""
    if n < 0:
        raise ValueError("a deadline cannot lie before its start")
    return start_date + timedelta(days=n)


# --- The shop's own calendar and clock, from settings -----------------------------------------------------------


@lru_cache(maxsize=4)
def _calendar(country: str, days_off: tuple[str, ...], working_days: tuple[str, ...]) -> WorkingCalendar:
    return WorkingCalendar(
        country=country,
        extra_days_off=frozenset(date.fromisoformat(d) for d in days_off),
        extra_working_days=frozenset(date.fromisoformat(d) for d in working_days),
    )


def shop_calendar() -> WorkingCalendar:
    """The shop's calendar: SHOP_COUNTRY's holidays with the decreed SHOP_EXTRA_DAYS_OFF and
    SHOP_EXTRA_WORKING_DAYS (ISO dates). Built once per combination of settings."""
    return _calendar(
        settings.SHOP_COUNTRY, tuple(settings.SHOP_EXTRA_DAYS_OFF), tuple(settings.SHOP_EXTRA_WORKING_DAYS)
    )


def shop_tz() -> ZoneInfo:
    """The shop's time zone (TIME_ZONE, Asia/Almaty): the shop's day and hours are taken in it."""
    return ZoneInfo(settings.TIME_ZONE)
