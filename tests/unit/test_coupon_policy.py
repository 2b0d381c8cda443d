"""Coupon rules (CPN-1, CPN-2) as pure functions: why a coupon is refused, and how its discount is split over the
lines — only in-scope lines not at a sale price take part, the shares add up to the discount to the tiyn."""

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orders import policy
from orders.policy import CouponTerms, PricedLine

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
TIYN = Decimal("0.01")


def terms(**overrides) -> CouponTerms:
    values = {
        "kind": "percent",
        "value": Decimal("10"),
        "min_goods_total": Decimal("0"),
        "valid_from": NOW - timedelta(days=1),
        "valid_until": NOW + timedelta(days=364),
        "max_uses": None,
        "times_used": 0,
        "max_uses_per_customer": 1,
        "is_active": True,
    }
    values.update(overrides)
    return CouponTerms(**values)


def line(amount, *, on_sale=False, in_scope=True) -> PricedLine:
    return PricedLine(amount=Decimal(amount), on_sale=on_sale, in_scope=in_scope)


def refusal(coupon=None, lines=None, *, now=NOW, customer_uses=0) -> str:
    return policy.coupon_refusal(coupon or terms(), lines or [line("10000.00")], now=now, customer_uses=customer_uses)


# --- coupon_refusal (CPN-1) -------------------------------------------------------------------------------------


def test_cpn1_a_valid_coupon_is_accepted():
    assert refusal() == policy.COUPON_OK


def test_cpn1_validity_window_starts_inclusive_and_ends_exclusive():
    window = terms(valid_from=NOW, valid_until=NOW + timedelta(days=365))
    assert refusal(window, now=NOW) == policy.COUPON_OK
    assert refusal(window, now=NOW - timedelta(microseconds=1)) == policy.COUPON_NOT_YET_VALID
    assert refusal(window, now=NOW + timedelta(days=365)) == policy.COUPON_EXPIRED
    assert refusal(window, now=NOW + timedelta(days=365) - timedelta(microseconds=1)) == policy.COUPON_OK


@pytest.mark.parametrize(
    ("overrides", "customer_uses", "expected"),
    [
        ({"is_active": False}, 0, policy.COUPON_INACTIVE),
        ({"max_uses": 3, "times_used": 3}, 0, policy.COUPON_USED_UP),
        ({"max_uses": 3, "times_used": 2}, 0, policy.COUPON_OK),
        ({"max_uses_per_customer": 1}, 1, policy.COUPON_USED_BY_CUSTOMER),
        ({"max_uses_per_customer": 2}, 1, policy.COUPON_OK),
        ({"max_uses_per_customer": None}, 50, policy.COUPON_OK),
        ({"min_goods_total": Decimal("10000.01")}, 0, policy.COUPON_MINIMUM_NOT_REACHED),
        ({"min_goods_total": Decimal("10000.00")}, 0, policy.COUPON_OK),
    ],
)
def test_cpn1_limits_of_the_coupon(overrides, customer_uses, expected):
    assert refusal(terms(**overrides), customer_uses=customer_uses) == expected


@pytest.mark.parametrize(
    "lines",
    [
        [line("5000.00", on_sale=True)],
        [line("5000.00", in_scope=False)],
        [line("5000.00", on_sale=True), line("5000.00", in_scope=False)],
    ],
)
def test_cpn2_a_cart_without_an_eligible_line_is_refused(lines):
    assert refusal(lines=lines) == policy.COUPON_NOT_FOR_THESE_GOODS


def test_cpn1_the_minimum_counts_every_line_of_the_cart():
    # sale and out-of-scope goods still count towards the minimum goods total; they only take no discount
    coupon = terms(min_goods_total=Decimal("15000"))
    lines = [line("5000.00"), line("10000.00", on_sale=True)]
    assert refusal(coupon, lines) == policy.COUPON_OK


def test_cpn1_the_coupon_itself_is_judged_before_its_limits_and_the_goods():
    # an inactive, expired coupon on ineligible goods is reported as inactive: the first thing a shopper can't fix
    coupon = terms(is_active=False, valid_until=NOW - timedelta(days=1), valid_from=NOW - timedelta(days=30))
    assert refusal(coupon, [line("1.00", on_sale=True)], customer_uses=5) == policy.COUPON_INACTIVE
    expired = terms(valid_until=NOW - timedelta(days=1), valid_from=NOW - timedelta(days=30), max_uses=1, times_used=1)
    assert refusal(expired) == policy.COUPON_EXPIRED
    used_up = terms(max_uses=1, times_used=1)
    assert refusal(used_up, customer_uses=1) == policy.COUPON_USED_UP


# --- coupon_shares (CPN-2, REF-1) --------------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("2000000"), places=2)
lines_strategy = st.lists(
    st.builds(line, amounts, on_sale=st.booleans(), in_scope=st.booleans()), min_size=1, max_size=12
)
percent = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2)
fixed = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000000"), places=2)


def eligible(item: PricedLine) -> bool:
    return item.in_scope and not item.on_sale


def expected_discount(coupon: CouponTerms, lines) -> Decimal:
    base = sum((item.amount for item in lines if eligible(item)), Decimal("0"))
    if coupon.kind == "percent":
        return (base * coupon.value / 100).quantize(TIYN, rounding=ROUND_HALF_UP)
    return min(coupon.value, base)


def check_shares(coupon, lines):
    shares = policy.coupon_shares(coupon, lines)
    assert len(shares) == len(lines)
    assert sum(shares, Decimal("0")) == expected_discount(coupon, lines)
    for item, share in zip(lines, shares, strict=True):
        assert Decimal("0") <= share <= item.amount
        assert share == share.quantize(TIYN)
        if not eligible(item):
            assert share == 0


@given(lines=lines_strategy, value=percent)
def test_cpn2_percent_shares_sum_to_the_discount_and_skip_sale_and_out_of_scope_lines(lines, value):
    check_shares(terms(kind="percent", value=value), lines)


@given(lines=lines_strategy, value=fixed)
def test_cpn2_fixed_shares_never_exceed_the_eligible_goods(lines, value):
    check_shares(terms(kind="fixed", value=value), lines)


@given(lines=lines_strategy, value=percent)
def test_cpn2_shares_follow_the_line_amounts(lines, value):
    # pro rata: of two eligible lines the larger never gets less than a tiyn below the smaller's share
    shares = policy.coupon_shares(terms(kind="percent", value=value), lines)
    pairs = [(item.amount, share) for item, share in zip(lines, shares, strict=True) if eligible(item)]
    for amount_a, share_a in pairs:
        for amount_b, share_b in pairs:
            if amount_a > amount_b:
                assert share_a >= share_b - TIYN


def test_cpn2_sale_line_gets_nothing_and_the_percent_is_rounded_half_up():
    lines = [line("12000.00", on_sale=True), line("333.35"), line("100.00", in_scope=False)]
    shares = policy.coupon_shares(terms(kind="percent", value=Decimal("10")), lines)
    assert shares == [Decimal("0.00"), Decimal("33.34"), Decimal("0.00")]  # 33.335 → 33.34


def test_cpn2_a_fixed_coupon_above_the_eligible_goods_is_capped_at_them():
    lines = [line("3000.00"), line("9000.00", on_sale=True)]
    assert policy.coupon_shares(terms(kind="fixed", value=Decimal("5000")), lines) == [
        Decimal("3000.00"),
        Decimal("0.00"),
    ]


def test_cpn2_a_fixed_coupon_is_split_pro_rata_to_the_tiyn():
    lines = [line("100.00"), line("100.00"), line("100.00")]
    shares = policy.coupon_shares(terms(kind="fixed", value=Decimal("100")), lines)
    assert shares == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(shares) == Decimal("100")
