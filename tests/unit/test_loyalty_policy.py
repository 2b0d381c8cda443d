"""The loyalty rules as pure functions (issue 14): LOY-3 tier boundaries, LOY-5 accrual rounding, LOY-6 due,
LOY-4 the day after, LOY-7 FIFO by expiry, LOY-8 the cap; hypothesis for money and dates."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty import policy

TIERS = [
    policy.TierRule("basic", 1, 0, Decimal("0"), Decimal("3"), Decimal("3")),
    policy.TierRule("regular", 2, 3, Decimal("100000"), Decimal("5"), Decimal("5")),
    policy.TierRule("partner", 3, 10, Decimal("500000"), Decimal("7"), Decimal("10")),
    policy.TierRule("vip", 4, 15, Decimal("1000000"), Decimal("10"), Decimal("15")),
]
money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC))


@pytest.mark.parametrize(
    ("orders", "total", "tier"),
    [
        (0, "0", "basic"),
        (3, "100000", "regular"),  # both met exactly
        (2, "100000", "basic"),  # one order short
        (3, "99999.99", "basic"),  # one tiyn short
        (3, "99999", "basic"),  # one tenge short
        (10, "500000", "partner"),
        (9, "500000", "regular"),
        (10, "499999", "regular"),
        (15, "1000000", "vip"),
        (14, "1000000", "partner"),
        (15, "999999", "partner"),
        (100, "5000000", "vip"),
    ],
)
def test_loy3_tier_boundaries_each_threshold_met_and_missed_by_one(orders, total, tier):
    """LOY-3: order count AND sum; each threshold exactly met, and missed by one order or one tenge."""
    assert policy.tier_for(TIERS, orders=orders, total=Decimal(total)).code == tier


@given(orders=st.integers(0, 100), total=money)
def test_loy3_the_tier_is_monotonic_and_both_thresholds_are_met(orders, total):
    tier = policy.tier_for(TIERS, orders=orders, total=total)
    assert orders >= tier.min_orders and total >= tier.min_sum
    higher = policy.tier_for(TIERS, orders=orders + 1, total=total + 1)
    assert higher.position >= tier.position


def test_loy10_progress_says_what_the_next_tier_still_needs():
    progress = policy.progress_to_next(TIERS, current=TIERS[0], orders=1, total=Decimal("40000"))
    assert progress == policy.Progress(tier="regular", orders_needed=2, sum_needed=Decimal("60000"))
    assert policy.progress_to_next(TIERS, current=TIERS[3], orders=20, total=Decimal("2000000")).tier is None


@given(base=money, percent=st.sampled_from([Decimal(p) for p in ("3", "5", "7", "10")]))
def test_loy5_accrual_is_whole_bonuses_rounded_down(base, percent):
    """LOY-5: tier % of the base, whole bonuses, never rounded up."""
    amount = policy.accrual_amount(base, earn_percent=percent)
    assert isinstance(amount, int) and 0 <= amount <= base * percent / 100 < amount + 1


def test_loy5_services_and_non_earning_goods_have_no_base():
    assert policy.accrual_base(paid_total=Decimal("9000"), bonus_earning=True, is_service=False) == Decimal("9000")
    assert policy.accrual_base(paid_total=Decimal("9000"), bonus_earning=True, is_service=True) == 0
    assert policy.accrual_base(paid_total=Decimal("9000"), bonus_earning=False, is_service=False) == 0
    assert policy.accrual_amount(Decimal("333.33"), earn_percent=Decimal("3")) == 9


@given(paid=moments, delivered=moments)
def test_loy6_due_is_seven_days_after_the_later_of_paid_and_delivered(paid, delivered):
    due = policy.accrual_due(paid_at=paid, delivered_at=delivered, delay_days=7)
    assert due == max(paid, delivered) + timedelta(days=7)
    assert policy.accrual_due(paid_at=paid, delivered_at=None, delay_days=7) is None
    assert policy.accrual_due(paid_at=None, delivered_at=delivered, delay_days=7) is None


def test_loy4_the_tier_takes_effect_the_next_day():
    assert policy.tier_effective_from(date(2027, 12, 31)) == date(2028, 1, 1)


def test_loy7_purchase_bonuses_expire_90_days_after_accrual():
    accrued = datetime(2027, 3, 11, 12, tzinfo=UTC)
    assert policy.purchase_expiry(accrued, days=90) == datetime(2027, 6, 9, 12, tzinfo=UTC)


@given(
    lots=st.lists(st.tuples(st.one_of(st.none(), moments), moments, st.integers(1, 500)), min_size=1, max_size=12),
    amount=st.integers(0, 3000),
)
def test_loy7_spending_takes_the_soonest_expiring_first_never_expiring_last(lots, amount):
    """LOY-7: FIFO by expiry; what is taken sums to the amount (or to all there is) and never exceeds a lot."""
    rows = [(i, expires, accrued) for i, (expires, accrued, _r) in enumerate(lots)]
    order = policy.spending_order(rows)
    expiries = [rows[i][1] for i in order]
    dated = [e for e in expiries if e is not None]
    assert dated == sorted(dated) and expiries[: len(dated)] == dated  # never-expiring last
    remaining = {i: r for i, (_e, _a, r) in enumerate(lots)}
    taken = policy.take_from_lots([(i, remaining[i]) for i in order], amount)
    assert sum(part for _i, part in taken) == min(amount, sum(remaining.values()))
    assert all(0 < part <= remaining[i] for i, part in taken)
    # a lot is touched only once the sooner ones are empty
    touched = [i for i, _p in taken]
    assert touched == order[: len(touched)]
    assert all(part == remaining[i] for i, part in taken[:-1])


@given(
    goods=money, percent=st.sampled_from([Decimal(p) for p in ("3", "5", "10", "15")]), balance=st.integers(0, 10**6)
)
def test_loy8_the_cap_is_the_tier_percent_of_the_payable_goods(goods, percent, balance):
    """LOY-8: at most the tier's % of the bonus-payable goods, whole bonuses; never more than the balance."""
    cap = policy.redemption_cap(goods, pay_percent=percent)
    assert 0 <= cap <= goods * percent / 100 < cap + 1
    spend = policy.spendable(balance=balance, cap=cap)
    assert spend == min(balance, cap)


@given(owed=st.integers(0, 10**5), balance=st.integers(0, 10**5))
def test_ref3_clawback_takes_what_the_balance_has_and_the_rest_is_a_shortfall(owed, balance):
    taken, shortfall = policy.clawback(owed=owed, balance=balance)
    assert taken + shortfall == owed and 0 <= taken <= balance and shortfall >= 0


def test_expiry_mail_at_most_weekly():
    now = datetime(2027, 3, 11, tzinfo=UTC)
    assert policy.expiry_mail_due(last_sent=None, now=now, every_days=7)
    assert not policy.expiry_mail_due(last_sent=now - timedelta(days=6), now=now, every_days=7)
    assert policy.expiry_mail_due(last_sent=now - timedelta(days=7), now=now, every_days=7)
