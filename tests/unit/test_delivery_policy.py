"""ORD-8, DLV-1..4, REF-1 (discount shares) as pure functions: processing start, ETA, delivery cost, discount split.

The working-day calendar itself is tested in test_workdays.py."""

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from base.workdays import WorkingCalendar
from orders import policy
from orders.policy import Parcel, Tariff

ALMATY = ZoneInfo("Asia/Almaty")
KZ = WorkingCalendar()
PICKUP_FREE_FROM = Decimal("20000")
HEAVY = {"heavy_threshold_kg": Decimal("30"), "heavy_surcharge_per_kg": Decimal("100")}

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))
money = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("9999999.99"), places=2)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=ALMATY)


# --- ORD-8 processing start -------------------------------------------------------------------------------------


def test_ord8_order_on_a_working_day_is_processed_the_same_day():
    assert policy.processing_start(at(2026, 3, 6, 23, 59), KZ, ALMATY) == date(2026, 3, 6)


def test_ord8_order_on_saturday_before_a_holiday_monday_waits_until_tuesday():
    assert policy.processing_start(at(2026, 3, 7, 12, 0), KZ, ALMATY) == date(2026, 3, 10)


def test_ord8_order_on_a_weekday_holiday_is_processed_the_next_working_day():
    assert policy.processing_start(at(2026, 12, 16, 9, 0), KZ, ALMATY) == date(2026, 12, 17)


def test_ord8_the_shop_day_is_taken_in_almaty_time_not_utc():
    late_friday_utc = datetime(2026, 3, 6, 20, 0, tzinfo=UTC)  # already Saturday 01:00 in Almaty (UTC+5)
    assert policy.processing_start(late_friday_utc, KZ, ALMATY) == date(2026, 3, 10)


def test_ord8_cutoff_rolls_a_late_order_to_the_next_working_day():
    cutoff = time(18, 0)
    assert policy.processing_start(at(2026, 3, 6, 17, 59), KZ, ALMATY, cutoff=cutoff) == date(2026, 3, 6)
    assert policy.processing_start(at(2026, 3, 6, 18, 0), KZ, ALMATY, cutoff=cutoff) == date(2026, 3, 10)
    assert policy.processing_start(at(2026, 3, 7, 19, 0), KZ, ALMATY, cutoff=cutoff) == date(2026, 3, 10)


def test_ord8_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="aware"):
        policy.processing_start(datetime(2026, 3, 6, 12, 0), KZ, ALMATY)


# --- DLV-4 delivery window ---------------------------------------------------------------------------------------


def test_dlv4_window_across_nauryz_counts_only_working_days():
    # processing starts Fri 20 March; 21–25 March (Sat..Wed) are all off; 26, 27, 30, 31 March, 1 April = 5.
    earliest, latest = policy.delivery_window(at(2026, 3, 20, 11, 0), KZ, ALMATY, min_days=5, max_days=10)
    assert (earliest, latest) == (date(2026, 4, 1), date(2026, 4, 8))


def test_dlv4_window_of_an_order_placed_on_a_holiday_starts_from_the_next_working_day():
    # placed Sun 8 March (Women's Day); processing Tue 10 March; +5 = Tue 17; +10 = Tue 24 minus Nauryz -> Fri 27.
    earliest, latest = policy.delivery_window(at(2026, 3, 8, 10, 0), KZ, ALMATY, min_days=5, max_days=10)
    assert earliest == date(2026, 3, 17)
    assert latest == date(2026, 3, 27)


def test_dlv4_window_in_an_ordinary_week():
    earliest, latest = policy.delivery_window(at(2026, 6, 1, 10, 0), KZ, ALMATY, min_days=5, max_days=10)
    assert (earliest, latest) == (date(2026, 6, 8), date(2026, 6, 15))


def test_dlv4_window_rejects_min_above_max():
    with pytest.raises(ValueError):
        policy.delivery_window(at(2026, 6, 1, 10, 0), KZ, ALMATY, min_days=10, max_days=5)


@given(day=days, hour=st.integers(0, 23), low=st.integers(0, 15), extra=st.integers(0, 15))
def test_dlv4_window_is_ordered_and_spans_the_working_days_asked(day, hour, low, extra):
    placed = datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY)
    earliest, latest = policy.delivery_window(placed, KZ, ALMATY, min_days=low, max_days=low + extra)
    start = policy.processing_start(placed, KZ, ALMATY)
    assert start <= earliest <= latest
    assert KZ.working_days_between(start, earliest) == low
    assert KZ.working_days_between(earliest, latest) == extra


# --- DLV-2/DLV-3 delivery cost -----------------------------------------------------------------------------------


def tariff(method=policy.COURIER, free_from=None, **kwargs) -> Tariff:
    values = {"base_cost": Decimal("1500"), "per_kg": Decimal("50"), "bulky_surcharge": Decimal("2000")}
    values.update(kwargs)
    return Tariff(method=method, city="Алматы", free_from=free_from, **values)


def cost(t: Tariff, goods_total: str, weight="2", bulky=False) -> Decimal:
    parcel = Parcel(goods_total=Decimal(goods_total), weight_kg=Decimal(weight), has_bulky=bulky)
    return policy.delivery_cost(t, parcel, pickup_free_from=PICKUP_FREE_FROM, **HEAVY)


def test_dlv3_pickup_is_free_at_exactly_20000():
    assert cost(tariff(policy.PICKUP), "20000.00") == Decimal("0.00")


def test_dlv3_pickup_is_charged_at_19999_99():
    assert cost(tariff(policy.PICKUP), "19999.99") == Decimal("1600.00")  # 1500 + 2 kg x 50


def test_dlv3_pickup_threshold_is_for_pickup_only():
    assert cost(tariff(policy.COURIER), "20000.00") == Decimal("1600.00")


def test_dlv3_method_threshold_makes_any_method_free_surcharges_included():
    t = tariff(policy.COURIER, free_from=Decimal("50000"))
    assert cost(t, "50000.00", weight="45", bulky=True) == Decimal("0.00")
    assert cost(t, "49999.99", weight="2") == Decimal("1600.00")


def test_dlv2_bulky_surcharge_is_added_once_per_parcel():
    assert cost(tariff(), "5000", weight="2", bulky=True) == Decimal("3600.00")


def test_dlv2_heavy_surcharge_only_for_kilograms_over_the_threshold():
    assert cost(tariff(), "5000", weight="30") == Decimal("3000.00")  # 1500 + 30 x 50, at the threshold
    assert cost(tariff(), "5000", weight="32.5") == Decimal("3375.00")  # 1500 + 1625 + 2.5 x 100


def test_dlv2_cost_is_rounded_to_the_tiyn():
    t = tariff(per_kg=Decimal("33.333"))
    assert cost(t, "100", weight="1.005") == Decimal("1533.50")  # 1500 + 33.499665 -> 1533.50


def test_dlv2_negative_weight_is_refused():
    with pytest.raises(ValueError):
        cost(tariff(), "100", weight="-1")


@given(goods=money, weight=st.decimals(min_value=0, max_value=500, places=3), bulky=st.booleans())
def test_dlv2_cost_is_never_negative_and_grows_with_weight(goods, weight, bulky):
    t = tariff(policy.EXPRESS)
    lighter = cost(t, str(goods), weight=str(weight), bulky=bulky)
    heavier = cost(t, str(goods), weight=str(weight + 1), bulky=bulky)
    assert Decimal(0) <= lighter < heavier
    assert lighter == lighter.quantize(Decimal("0.01"))


def test_dlv1_method_codes_are_plain_strings():
    assert [m.value for m in policy.DeliveryMethod] == ["courier", "logistics", "pickup", "express"]
    assert policy.PICKUP == "pickup"


# --- DLV-1 express hours -----------------------------------------------------------------------------------------

EXPRESS_HOURS = {"opens": time(10, 0), "closes": time(22, 0)}


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (9, 59, (False, policy.EXPRESS_OUTSIDE_HOURS)),
        (10, 0, (True, policy.EXPRESS_AVAILABLE)),
        (21, 59, (True, policy.EXPRESS_AVAILABLE)),
        (22, 0, (False, policy.EXPRESS_OUTSIDE_HOURS)),
    ],
)
def test_dlv1_express_ordering_hours_in_almaty(hour, minute, expected):
    now = at(2026, 3, 10, hour, minute)
    assert policy.express_available(now, city_has_store_stock=True, **EXPRESS_HOURS) == expected


def test_dlv1_express_needs_store_stock_in_the_city():
    now = at(2026, 3, 10, 12, 0)
    assert policy.express_available(now, city_has_store_stock=False, **EXPRESS_HOURS) == (
        False,
        policy.EXPRESS_NO_CITY_STOCK,
    )


def test_dlv1_express_refuses_a_naive_time():
    with pytest.raises(ValueError):
        policy.express_available(datetime(2026, 3, 10, 12), city_has_store_stock=True, **EXPRESS_HOURS)


# --- REF-1 discount allocation ------------------------------------------------------------------------------------


def D(*values: str) -> list[Decimal]:
    return [Decimal(v) for v in values]


def test_ref1_worked_example_pro_rata():
    assert policy.allocate_discount(D("6000.00", "3000.00", "1000.00"), Decimal("1000.00")) == D(
        "600.00", "300.00", "100.00"
    )


def test_ref1_three_equal_lines_leftover_tiyn_goes_to_the_earliest_line():
    assert policy.allocate_discount(D("100.00", "100.00", "100.00"), Decimal("100.00")) == D("33.34", "33.33", "33.33")


def test_ref1_largest_remainder_wins_over_position():
    # exact shares 0.666.., 0.333..: floors 0, 0; one tiyn left goes to the larger remainder (second line).
    assert policy.allocate_discount(D("0.01", "0.02"), Decimal("0.01")) == D("0.00", "0.01")


def test_ref1_full_discount_equals_the_lines():
    lines = D("10.01", "0.00", "5.55")
    assert policy.allocate_discount(lines, Decimal("15.56")) == lines


def test_ref1_no_lines_or_zero_total():
    assert policy.allocate_discount([], Decimal("0")) == []
    assert policy.allocate_discount(D("0.00", "0.00"), Decimal("0.00")) == D("0.00", "0.00")
    with pytest.raises(ValueError):
        policy.allocate_discount([], Decimal("0.01"))


def test_ref1_discount_above_total_or_negative_or_fractional_tiyn_is_refused():
    with pytest.raises(ValueError):
        policy.allocate_discount(D("10.00"), Decimal("10.01"))
    with pytest.raises(ValueError):
        policy.allocate_discount(D("10.00"), Decimal("-1"))
    with pytest.raises(ValueError):
        policy.allocate_discount(D("10.00"), Decimal("0.005"))


@st.composite
def lines_and_discount(draw):
    lines = draw(st.lists(money, min_size=1, max_size=12))
    total = sum(lines)
    discount = draw(st.decimals(min_value=Decimal("0.00"), max_value=total, places=2))
    return lines, discount


@given(case=lines_and_discount())
def test_ref1_allocation_properties(case):
    lines, discount = case
    shares = policy.allocate_discount(lines, discount)
    assert len(shares) == len(lines)
    assert sum(shares) == discount
    total = sum(lines)
    for line, share in zip(lines, shares, strict=True):
        assert Decimal(0) <= share <= line
        assert share == share.quantize(Decimal("0.01"))
        if total:
            assert abs(share - discount * line / total) < Decimal("0.01")


@given(case=lines_and_discount())
def test_ref1_allocation_is_deterministic_and_equal_lines_differ_by_at_most_a_tiyn(case):
    lines, discount = case
    shares = policy.allocate_discount(lines, discount)
    assert policy.allocate_discount(list(lines), discount) == shares
    pairs = [(a, b) for a in range(len(lines)) for b in range(a + 1, len(lines)) if lines[a] == lines[b]]
    for i, j in pairs:
        assert shares[j] <= shares[i] <= shares[j] + Decimal("0.01")  # ties: the earlier line first
