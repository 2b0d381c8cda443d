"""The Kazakhstan working-day calendar and the shop's clock (base.workdays) that every deadline counts on."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from base.workdays import (
    WorkingCalendar,
    deadline_after_calendar_days,
    deadline_after_working_days,
    shop_calendar,
    shop_tz,
)

KZ = WorkingCalendar()

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))


# --- calendar: real Kazakhstan holidays (as the `holidays` package has them) ------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),  # New Year, Thu
        date(2026, 1, 2),  # New Year, Fri
        date(2026, 1, 7),  # Orthodox Christmas, Wed
        date(2026, 3, 9),  # International Women's Day (8 March, a Sunday) observed on Monday
        date(2026, 3, 23),  # Nauryz, Mon (21–23 March; 21–22 fall on the weekend)
        date(2026, 3, 24),  # Nauryz observed
        date(2026, 3, 25),  # Nauryz observed
        date(2026, 5, 1),  # Unity Day of the People of Kazakhstan
        date(2026, 5, 7),  # Defender of the Fatherland Day
        date(2026, 5, 11),  # Victory Day (9 May, a Saturday) observed
        date(2026, 7, 6),  # Capital Day, Mon
        date(2026, 10, 26),  # Republic Day (25 October, a Sunday) observed
        date(2026, 12, 16),  # Independence Day, Wed
    ],
)
def test_ord8_kazakhstan_public_holidays_2026_are_not_working_days(day):
    assert day.weekday() < 5
    assert not KZ.is_working_day(day)


def test_ord8_weekends_are_not_working_days_and_ordinary_weekdays_are():
    assert not KZ.is_working_day(date(2026, 3, 7))  # Saturday
    assert not KZ.is_working_day(date(2026, 3, 8))  # Sunday, and Women's Day
    assert not KZ.is_working_day(date(2026, 3, 21))  # Saturday, and Nauryz
    assert KZ.is_working_day(date(2026, 3, 10))  # Tuesday
    assert KZ.is_working_day(date(2026, 12, 17))  # Thursday after Independence Day


def test_ord8_decreed_transfer_saturday_and_bridge_day_override_the_package():
    saturday, bridge = date(2026, 3, 14), date(2026, 3, 20)
    calendar = WorkingCalendar(extra_working_days=frozenset({saturday}), extra_days_off=frozenset({bridge}))
    assert calendar.is_working_day(saturday)
    assert not calendar.is_working_day(bridge)
    assert KZ.is_working_day(bridge) and not KZ.is_working_day(saturday)


def test_ord8_on_or_after_keeps_a_working_day_and_next_is_strictly_after():
    friday = date(2026, 3, 6)
    assert KZ.working_day_on_or_after(friday) == friday
    assert KZ.next_working_day(friday) == date(2026, 3, 10)  # Sat, Sun (8 March), Mon (observed) skipped
    assert KZ.working_day_on_or_after(date(2026, 3, 21)) == date(2026, 3, 26)  # Nauryz Sat..Wed
    assert KZ.next_working_day(date(2026, 12, 15)) == date(2026, 12, 17)


def test_ord8_add_working_days_zero_is_the_same_day_and_counts_strictly_after():
    assert KZ.add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)
    assert KZ.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 10)
    assert KZ.add_working_days(date(2026, 3, 10), -1) == date(2026, 3, 6)
    assert KZ.working_days_between(date(2026, 3, 6), date(2026, 3, 10)) == 1


@given(start=days, n=st.integers(min_value=0, max_value=40))
def test_ord8_add_working_days_lands_on_a_working_day_and_inverts_between(start, n):
    end = KZ.add_working_days(start, n)
    assert KZ.working_days_between(start, end) == n
    assert KZ.working_days_between(end, start) == -n
    if n:
        assert end > start and KZ.is_working_day(end)


@given(start=days, n=st.integers(min_value=1, max_value=40))
def test_ord8_negative_working_days_count_back_to_the_nth_working_day_before(start, n):
    back = KZ.add_working_days(start, -n)
    assert back < start and KZ.is_working_day(back)
    assert KZ.working_days_between(back, start - timedelta(days=1)) == n - 1


@given(day=days)
def test_ord8_next_working_day_is_the_first_working_day_strictly_after(day):
    following = KZ.next_working_day(day)
    assert following > day and KZ.is_working_day(following)
    gap = (following - day).days
    assert all(not KZ.is_working_day(day + timedelta(days=i)) for i in range(1, gap))
    assert KZ.working_day_on_or_after(day) == (day if KZ.is_working_day(day) else following)


def test_deadline_helpers_count_working_and_calendar_days():
    claimed_saturday = date(2026, 3, 7)
    assert deadline_after_working_days(claimed_saturday, 3, KZ) == date(2026, 3, 12)  # Tue, Wed, Thu
    assert deadline_after_calendar_days(claimed_saturday, 10) == date(2026, 3, 17)
    with pytest.raises(ValueError):
        deadline_after_calendar_days(claimed_saturday, -1)


def test_shop_calendar_reads_the_decreed_days_from_settings(settings):
    settings.SHOP_COUNTRY = "KZ"
    settings.SHOP_EXTRA_DAYS_OFF = ["2026-03-20"]
    settings.SHOP_EXTRA_WORKING_DAYS = ["2026-03-14"]
    calendar = shop_calendar()
    assert not calendar.is_working_day(date(2026, 3, 20)) and calendar.is_working_day(date(2026, 3, 14))
    assert shop_calendar() is calendar  # built once per combination of settings
    settings.SHOP_EXTRA_DAYS_OFF = []
    assert shop_calendar().is_working_day(date(2026, 3, 20))


def test_shop_tz_is_the_shops_time_zone(settings):
    settings.TIME_ZONE = "Asia/Almaty"
    assert shop_tz() == ZoneInfo("Asia/Almaty")
