"""Returns and refund rules (returns/policy.py), without a database: the withdrawal window (RET-1), non-returnable
goods (RET-2), partial quantities (RET-3), send-back and inspection deadlines (RET-5, RET-7), the refund amount
(REF-1, REF-2), refund deadlines by channel (REF-5) and the coupon's reactivation (CPN-3)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from base.workdays import WorkingCalendar
from returns import policy
from returns.policy import (
    CARD,
    CASH,
    CUSTOMER,
    EWALLET,
    NOT_RETURNABLE,
    SHOP,
    DayCount,
    Deduction,
    ReturnedLine,
    Withdrawal,
)

ALMATY = ZoneInfo("Asia/Almaty")
KZ = WorkingCalendar()
D = Decimal

DAYS_BY_CHANNEL = {
    CARD: DayCount(3, working=True),
    EWALLET: DayCount(10, working=False),
    CASH: DayCount(10, working=False),
}


def almaty(*args) -> datetime:
    return datetime(*args, tzinfo=ALMATY)


# --- RET-1: the withdrawal window ---------------------------------------------------------------------------------


def test_ret1_delivered_1_dec_1400_accepted_15_dec_2359_refused_16_dec_0001():
    # given
    delivered = almaty(2025, 12, 1, 14, 0)
    # then
    assert policy.withdrawal_open(delivered, almaty(2025, 12, 15, 23, 59), days=14, tz=ALMATY)
    assert not policy.withdrawal_open(delivered, almaty(2025, 12, 16, 0, 1), days=14, tz=ALMATY)
    assert policy.withdrawal_deadline(delivered, days=14, tz=ALMATY) == almaty(2025, 12, 15, 23, 59, 59, 999999)
    assert policy.withdrawal_last_day(delivered, days=14, tz=ALMATY) == date(2025, 12, 15)


def test_ret1_the_delivery_day_is_taken_in_the_shops_time_zone_not_utc():
    # 1 Dec 20:00 UTC is already 2 Dec in Almaty (UTC+5): the window ends on 16 Dec local.
    delivered = datetime(2025, 12, 1, 20, 0, tzinfo=ZoneInfo("UTC"))
    assert policy.withdrawal_last_day(delivered, days=14, tz=ALMATY) == date(2025, 12, 16)
    assert policy.withdrawal_open(delivered, almaty(2025, 12, 16, 23, 59), days=14, tz=ALMATY)
    assert not policy.withdrawal_open(delivered, almaty(2025, 12, 17, 0, 0), days=14, tz=ALMATY)


def test_ret1_the_same_moment_in_another_zone_is_judged_by_its_almaty_day():
    delivered = almaty(2025, 12, 1, 14, 0)
    # 15 Dec 18:59 UTC = 15 Dec 23:59 Almaty: accepted; 15 Dec 19:01 UTC = 16 Dec 00:01 Almaty: refused
    assert policy.withdrawal_open(delivered, datetime(2025, 12, 15, 18, 59, tzinfo=ZoneInfo("UTC")), days=14, tz=ALMATY)
    assert not policy.withdrawal_open(
        delivered, datetime(2025, 12, 15, 19, 1, tzinfo=ZoneInfo("UTC")), days=14, tz=ALMATY
    )


def test_ret1_delivery_on_independence_day_16_december_counts_calendar_days():
    # 16 December is a public holiday in Kazakhstan; the withdrawal window counts calendar days, so it still
    # ends 14 days later, on 30 December.
    assert not KZ.is_working_day(date(2025, 12, 16))
    delivered = almaty(2025, 12, 16, 11, 0)
    assert policy.withdrawal_last_day(delivered, days=14, tz=ALMATY) == date(2025, 12, 30)
    assert policy.withdrawal_open(delivered, almaty(2025, 12, 30, 23, 59), days=14, tz=ALMATY)
    assert not policy.withdrawal_open(delivered, almaty(2025, 12, 31, 0, 1), days=14, tz=ALMATY)


def test_ret1_a_span_across_16_december_is_not_extended_by_the_holiday():
    delivered = almaty(2025, 12, 10, 9, 30)
    assert policy.withdrawal_last_day(delivered, days=14, tz=ALMATY) == date(2025, 12, 24)
    assert not policy.withdrawal_open(delivered, almaty(2025, 12, 25, 0, 1), days=14, tz=ALMATY)


def test_ret1_before_delivery_the_order_is_refused_or_cancelled_instead():
    assert policy.withdrawal_state(None, almaty(2025, 12, 1), days=14, tz=ALMATY) is Withdrawal.NOT_DELIVERED
    assert not policy.withdrawal_open(None, almaty(2025, 12, 1), days=14, tz=ALMATY)


def test_ret1_states_open_then_expired():
    delivered = almaty(2025, 12, 1, 14, 0)
    assert policy.withdrawal_state(delivered, delivered, days=14, tz=ALMATY) is Withdrawal.OPEN
    assert policy.withdrawal_state(delivered, almaty(2026, 1, 1), days=14, tz=ALMATY) is Withdrawal.EXPIRED


def test_ret1_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        policy.withdrawal_deadline(datetime(2025, 12, 1, 14, 0), days=14, tz=ALMATY)
    with pytest.raises(ValueError):
        policy.withdrawal_open(almaty(2025, 12, 1), datetime(2025, 12, 2), days=14, tz=ALMATY)


@given(
    delivered=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2032, 12, 31), timezones=st.just(ALMATY)),
    days=st.integers(0, 60),
)
def test_ret1_window_is_whole_local_days_from_the_day_after_delivery(delivered, days):
    deadline = policy.withdrawal_deadline(delivered, days=days, tz=ALMATY)
    assert deadline.date() == delivered.date() + timedelta(days=days)
    assert policy.withdrawal_open(delivered, deadline, days=days, tz=ALMATY)
    assert not policy.withdrawal_open(delivered, deadline + timedelta(microseconds=1), days=days, tz=ALMATY)


# --- RET-2, RET-3 ------------------------------------------------------------------------------------------------


def test_ret2_non_returnable_goods_are_refused_with_their_reason():
    refusal = policy.returnable_refusal(returnable=False, reason="hygiene: opened earbuds")
    assert refusal.code == NOT_RETURNABLE
    assert refusal.reason == "hygiene: opened earbuds"
    assert policy.returnable_refusal(returnable=False).code == NOT_RETURNABLE
    assert policy.returnable_refusal(returnable=True, reason="ignored") is None


def test_ret2_every_condition_must_be_declared():
    assert policy.unmet_conditions(policy.RETURN_CONDITIONS) == []
    assert policy.unmet_conditions([policy.UNUSED, policy.COMPLETE_SET]) == [
        policy.SEALS_AND_LABELS_INTACT,
        policy.ORIGINAL_PACKAGING,
    ]


@pytest.mark.parametrize(
    ("delivered", "already", "left"), [(3, 0, 3), (3, 1, 2), (3, 3, 0), (2, 5, 0), (0, 0, 0)]
)
def test_ret3_never_more_than_delivered_minus_already_requested(delivered, already, left):
    assert policy.returnable_quantity(delivered, already) == left


def test_ret3_negative_quantities_are_refused():
    with pytest.raises(ValueError):
        policy.returnable_quantity(-1, 0)
    with pytest.raises(ValueError):
        policy.returnable_quantity(1, -1)


# --- RET-5, RET-7 ------------------------------------------------------------------------------------------------


def test_ret5_send_back_within_14_calendar_days_of_the_request():
    requested = almaty(2025, 12, 2, 10, 0)
    assert policy.send_back_deadline(requested, days=14, tz=ALMATY) == date(2025, 12, 16)
    assert not policy.send_back_lapsed(requested, almaty(2025, 12, 16, 23, 59), days=14, tz=ALMATY)
    assert policy.send_back_lapsed(requested, almaty(2025, 12, 17, 0, 1), days=14, tz=ALMATY)


def test_ret7_inspection_answers_within_5_working_days_of_receipt():
    # received Thursday 11 Dec 2025: Fri 12, Mon 15, (Tue 16 Independence Day), Wed 17, Thu 18, Fri 19
    assert policy.inspection_deadline(date(2025, 12, 11), working_days=5, calendar=KZ) == date(2025, 12, 19)
    # received Monday 2 Mar 2026: Tue 3 .. Fri 6, (Mon 9 Women's Day observed), Tue 10
    assert policy.inspection_deadline(date(2026, 3, 2), working_days=5, calendar=KZ) == date(2026, 3, 10)


# --- REF-1: what was actually paid, per unit ---------------------------------------------------------------------


def test_ref1_one_of_three_units_of_1000_refunds_333_33_then_333_33_then_333_34():
    assert policy.unit_refunds(D("1000.00"), 3) == [D("333.33"), D("333.33"), D("333.34")]
    assert [policy.refund_for_units(D("1000.00"), 3, done, 1) for done in range(3)] == [
        D("333.33"),
        D("333.33"),
        D("333.34"),
    ]
    assert policy.refund_for_units(D("1000.00"), 3, 1, 2) == D("666.67")
    assert policy.refund_for_units(D("1000.00"), 3, 0, 3) == D("1000.00")


def test_ref1_nothing_returned_refunds_nothing_and_too_many_units_are_refused():
    assert policy.refund_for_units(D("1000.00"), 3, 2, 0) == D("0.00")
    with pytest.raises(ValueError):
        policy.refund_for_units(D("1000.00"), 3, 2, 2)
    with pytest.raises(ValueError):
        policy.refund_for_units(D("1000.001"), 3, 0, 1)
    with pytest.raises(ValueError):
        policy.unit_refunds(D("10.00"), 0)


def test_ref1_goods_refund_sums_the_lines():
    lines = [
        ReturnedLine(paid_total=D("1000.00"), quantity=3, already_returned=2, units=1),
        ReturnedLine(paid_total=D("4500.50"), quantity=1, already_returned=0, units=1),
    ]
    assert policy.goods_refund(lines) == D("4833.84")  # 333.34 (the last unit) + 4 500.50
    assert policy.goods_refund([]) == D("0.00")


paid_totals = st.integers(min_value=0, max_value=10**10).map(lambda tiyn: Decimal(tiyn) / 100)


@st.composite
def line_and_returns(draw):
    """A line (paid total with 2 decimals, 1..50 units) and a sequence of partial returns covering all its units."""
    paid = draw(paid_totals)
    quantity = draw(st.integers(1, 50))
    batches, left = [], quantity
    while left:
        take = draw(st.integers(1, left))
        batches.append(take)
        left -= take
    return paid, quantity, batches


@given(line_and_returns())
def test_ref1_partial_returns_never_exceed_the_line_and_sum_exactly_to_it(case):
    paid, quantity, batches = case
    exact_unit = paid / quantity
    refunded, returned = Decimal("0.00"), 0
    for units in batches:
        part = policy.refund_for_units(paid, quantity, returned, units)
        assert part >= 0
        assert part == part.quantize(Decimal("0.01"))
        refunded += part
        returned += units
        # at no step more than the line paid, nor more than the exact pro-rata share of the units back so far
        assert refunded <= paid
        assert refunded <= paid * returned / quantity
    assert returned == quantity
    assert refunded == paid
    for unit in policy.unit_refunds(paid, quantity):
        assert abs(unit - exact_unit) < Decimal("0.01")
    assert sum(policy.unit_refunds(paid, quantity), Decimal("0.00")) == paid


# --- REF-2: delivery, return shipping, deductions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("defective", "full", "switch", "refund"),
    [
        (True, False, False, D("1500.00")),  # a defect: delivery back
        (True, True, False, D("1500.00")),
        (False, False, False, D("0.00")),  # a withdrawal: not
        (False, True, False, D("0.00")),  # a full withdrawal, default shop: not
        (False, True, True, D("1500.00")),  # a full withdrawal where the law refunds standard delivery
        (False, False, True, D("0.00")),  # a partial withdrawal even then: not
    ],
)
def test_ref2_delivery_refunded_only_for_a_defect_or_by_the_full_withdrawal_switch(defective, full, switch, refund):
    assert (
        policy.delivery_refund(
            delivery_paid=D("1500.00"),
            defective=defective,
            full_withdrawal=full,
            refund_delivery_on_full_withdrawal=switch,
        )
        == refund
    )


def test_ref2_delivery_is_never_refunded_twice():
    assert policy.delivery_refund(
        delivery_paid=D("1500.00"),
        defective=True,
        full_withdrawal=False,
        refund_delivery_on_full_withdrawal=False,
        already_refunded=D("1500.00"),
    ) == D("0.00")


def test_ref2_return_shipping_is_the_customers_unless_defective():
    assert policy.return_shipping_payer(defective=False) == CUSTOMER
    assert policy.return_shipping_payer(defective=True) == SHOP


def test_ref2_deductions_are_documented_and_never_make_a_refund_negative():
    assert policy.refund_after_deductions(D("1000.00"), [Deduction(D("150.50"), "scratched case")]) == D("849.50")
    assert policy.refund_after_deductions(D("1000.00"), [Deduction(D("800.00"), "a"), Deduction(D("300"), "b")]) == D(
        "0.00"
    )
    assert policy.refund_after_deductions(D("1000.00"), []) == D("1000.00")
    with pytest.raises(ValueError):
        Deduction(D("10.00"), "  ")
    with pytest.raises(ValueError):
        Deduction(D("-10.00"), "a negative deduction would add money")


@given(amount=paid_totals, deductions=st.lists(paid_totals, max_size=5))
def test_ref2_refund_after_deductions_is_between_zero_and_the_amount(amount, deductions):
    result = policy.refund_after_deductions(amount, [Deduction(d, "damage") for d in deductions])
    assert D("0.00") <= result <= amount
    assert result == max(amount - sum(deductions, D("0")), D("0"))


# --- REF-5: refund deadlines by channel --------------------------------------------------------------------------


def refund_deadline(claimed_at, channel):
    return policy.refund_deadline(claimed_at, channel=channel, days_by_channel=DAYS_BY_CHANNEL, calendar=KZ, tz=ALMATY)


def test_ref5_card_3_working_days_on_an_ordinary_week():
    assert refund_deadline(almaty(2025, 12, 1, 12, 0), CARD) == date(2025, 12, 4)  # Mon → Thu


def test_ref5_card_claimed_on_a_friday_before_a_holiday_weekend_skips_weekend_and_holidays():
    # Fri 20 March 2026; Nauryz 21–23 March with 24–25 observed: Thu 26, Fri 27, Mon 30
    assert refund_deadline(almaty(2026, 3, 20, 17, 0), CARD) == date(2026, 3, 30)
    # Fri 12 Dec 2025: Mon 15, (Tue 16 Independence Day), Wed 17, Thu 18
    assert refund_deadline(almaty(2025, 12, 12, 9, 0), CARD) == date(2025, 12, 18)


def test_ref5_cash_and_ewallet_10_calendar_days_holidays_included():
    claimed = almaty(2025, 12, 12, 9, 0)
    assert refund_deadline(claimed, CASH) == date(2025, 12, 22)
    assert refund_deadline(claimed, EWALLET) == date(2025, 12, 22)
    assert refund_deadline(almaty(2026, 3, 20, 17, 0), EWALLET) == date(2026, 3, 30)


def test_ref5_the_claims_day_is_the_shops_local_day():
    # Thu 11 Dec 2025 20:00 UTC is Fri 12 Dec 01:00 in Almaty
    claimed = datetime(2025, 12, 11, 20, 0, tzinfo=ZoneInfo("UTC"))
    assert refund_deadline(claimed, CARD) == date(2025, 12, 18)


def test_ref5_an_unknown_channel_is_an_error():
    with pytest.raises(ValueError):
        refund_deadline(almaty(2025, 12, 1), "barter")


@given(
    claimed=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2032, 12, 31), timezones=st.just(ALMATY))
)
def test_ref5_card_deadline_is_3_working_days_and_cash_10_calendar_days(claimed):
    card = refund_deadline(claimed, CARD)
    assert KZ.is_working_day(card)
    assert KZ.working_days_between(claimed.date(), card) == 3
    assert refund_deadline(claimed, CASH) == claimed.date() + timedelta(days=10)


# --- CPN-3 -------------------------------------------------------------------------------------------------------


DELIVERED_1_DEC = almaty(2025, 12, 1, 14, 0)


def reactivates(*, whole=True, defect=True, delivered=DELIVERED_1_DEC, requested):
    return policy.coupon_reactivates(
        whole_purchase_returned=whole,
        reason_is_defect=defect,
        delivered_at=delivered,
        requested_at=requested,
        days=14,
        tz=ALMATY,
    )


def test_cpn3_whole_purchase_for_a_defect_within_14_days_reactivates_the_coupon():
    assert reactivates(requested=almaty(2025, 12, 15, 23, 59))


@pytest.mark.parametrize(
    ("whole", "defect", "requested"),
    [
        (False, True, almaty(2025, 12, 5)),  # a partial return
        (True, False, almaty(2025, 12, 5)),  # not a defect
        (True, True, almaty(2025, 12, 16, 0, 1)),  # day 15
    ],
)
def test_cpn3_partial_or_not_a_defect_or_day_15_keeps_the_coupon_used(whole, defect, requested):
    assert not reactivates(whole=whole, defect=defect, requested=requested)


def test_cpn3_never_before_delivery():
    assert not reactivates(delivered=None, requested=almaty(2025, 12, 5))
