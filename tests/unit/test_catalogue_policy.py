"""CAT-1/CAT-2/CAT-3 rules as pure functions: prices, VAT, availability, inherited flags."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shop import policy
from shop.templatetags.shop_tags import money

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2)


@given(price=prices, sale=st.one_of(st.none(), prices))
def test_cat1_current_price_is_sale_only_when_below_price(price, sale):
    now = policy.current_price(price, sale)
    if sale is not None and sale < price:
        assert now == sale
    else:
        assert now == price
    assert now <= price


@given(price=prices, sale=prices)
def test_cat1_discount_badge_never_overstates_the_saving(price, sale):
    percent = policy.discount_percent(price, sale)
    assert 0 <= percent < 100
    if sale < price:
        assert price * (100 - percent) / 100 >= sale


@given(price=prices, rate=st.sampled_from([Decimal(0), Decimal(12), Decimal(16), Decimal("20.5")]))
def test_cat1_vat_included_is_exact_to_the_tiyn(price, rate):
    vat = policy.vat_included(price, rate)
    assert vat == vat.quantize(Decimal("0.01"))
    assert Decimal(0) <= vat < price or (price == Decimal("0.01") and vat <= price)
    exact = price * rate / (100 + rate)
    assert abs(vat - exact) <= Decimal("0.005")


def test_cat1_vat_on_a_real_price():
    assert policy.vat_included(Decimal("11600.00"), Decimal("16")) == Decimal("1600.00")


@pytest.mark.parametrize(
    ("stock", "expected"),
    [
        (0, policy.OUT_OF_STOCK),
        (-1, policy.OUT_OF_STOCK),
        (1, policy.LOW_STOCK),
        (5, policy.LOW_STOCK),
        (6, policy.IN_STOCK),
    ],
)
def test_cat3_availability_shown_to_the_shopper(stock, expected):
    assert policy.availability(stock, 5) == expected


def test_cat2_product_flag_empty_follows_the_category():
    assert policy.effective_flag(None, True) is True
    assert policy.effective_flag(False, True) is False
    assert policy.effective_flag(24, 12) == 24


@pytest.mark.parametrize(
    ("month", "day", "ok"),
    [(11, 1, True), (2, 29, True), (2, 30, False), (13, 1, False), (4, 31, False), (1, 0, False)],
)
def test_cat2_season_start_must_be_a_real_day(month, day, ok):
    assert policy.is_valid_month_day(month, day) is ok


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12990.00"), "12\u202f990\u00a0₸"),
        (Decimal("1500.50"), "1\u202f500,50\u00a0₸"),
        (Decimal("0.5"), "0,50\u00a0₸"),
        (None, ""),
        ("abc", ""),
    ],
)
def test_money_is_shown_in_tenge_without_float(value, text):
    assert money(value) == text


@pytest.mark.parametrize(
    ("before", "after", "changes"),
    [
        (500, 498, False),  # a sale from a deep stock shows nowhere: "in stock" before and after
        (7, 6, False),  # threshold 5: both still plain "in stock"
        (6, 5, True),  # now "only 5 left"
        (3, 2, True),  # the count shown changes
        (1, 0, True),  # sold out
        (0, 2, True),  # back in stock (a cancellation)
    ],
)
def test_cat3_shown_stock_changes_only_when_the_pages_would(before, after, changes):
    """CAT-3/ORD-4: cached catalogue pages are invalidated by a stock change only when it changes what they show."""
    assert (policy.shown_stock(before, 5) != policy.shown_stock(after, 5)) is changes


@given(st.integers(min_value=-5, max_value=10_000), st.integers(min_value=0, max_value=50))
def test_cat3_shown_stock_agrees_with_availability(stock, threshold):
    """Equal shown stock ⇒ equal availability label (and equal count when low)."""
    shown = policy.shown_stock(stock, threshold)
    assert policy.availability(shown, threshold) == policy.availability(stock, threshold)
    if policy.availability(stock, threshold) == policy.LOW_STOCK:
        assert shown == stock
