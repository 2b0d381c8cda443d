"""RET-8 / WAR-4 exchange arithmetic (returns/policy.py), without a database: what the replacement is worth, who
owes whom and exactly how much."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from returns import policy

D = Decimal
tiyn = st.integers(min_value=0, max_value=10**10).map(lambda n: (D(n) / 100).quantize(D("0.01")))


def test_ret8_cheaper_replacement_refunds_exactly_the_difference():
    settled = policy.exchange_settlement(credit=D("5000.00"), replacement=D("4200.00"))
    assert (settled.refund, settled.surcharge, settled.covered) == (D("800.00"), D("0.00"), D("4200.00"))


def test_ret8_dearer_replacement_asks_exactly_the_difference():
    settled = policy.exchange_settlement(credit=D("5000.00"), replacement=D("6500.00"))
    assert (settled.refund, settled.surcharge, settled.covered) == (D("0.00"), D("1500.00"), D("5000.00"))


def test_ret8_equal_prices_owe_nothing():
    settled = policy.exchange_settlement(credit=D("3333.33"), replacement=D("3333.33"))
    assert (settled.refund, settled.surcharge) == (D("0.00"), D("0.00"))


def test_war4_same_item_never_asks_a_surcharge_even_when_the_price_rose():
    settled = policy.exchange_settlement(credit=D("5000.00"), replacement=D("6500.00"), surcharge_allowed=False)
    assert settled.surcharge == D("0.00") and settled.refund == D("0.00") and settled.covered == D("6500.00")


def test_ret8_replacement_price_is_unit_price_times_quantity_to_the_tiyn():
    assert policy.replacement_price(D("3333.33"), 3) == D("9999.99")
    assert policy.replacement_price(D("4200.50"), 1) == D("4200.50")
    with pytest.raises(ValueError):
        policy.replacement_price(D("10.00"), 0)
    with pytest.raises(ValueError):
        policy.replacement_price(D("10.001"), 1)


def test_ret8_like_for_like_is_worth_what_the_replaced_units_paid():
    # REF-1: 1 000.00 over 3 units pays 333.33, 333.33, 333.34; two units replaced are worth 666.66
    units = policy.unit_refunds(D("1000.00"), 3)
    assert policy.like_for_like_value(units, 1) == D("333.33")
    assert policy.like_for_like_value(units, 2) == D("666.66")
    assert policy.like_for_like_value(units, 3) == D("1000.00")
    with pytest.raises(ValueError):
        policy.like_for_like_value(units, 4)
    with pytest.raises(ValueError):
        policy.like_for_like_value(units, 0)


def test_ret8_negative_or_fractional_tiyn_amounts_are_refused():
    with pytest.raises(ValueError):
        policy.exchange_settlement(credit=D("-1.00"), replacement=D("1.00"))
    with pytest.raises(ValueError):
        policy.exchange_settlement(credit=D("1.00"), replacement=D("1.005"))


@given(credit=tiyn, replacement=tiyn, allowed=st.booleans())
def test_ret8_settlement_adds_up(credit, replacement, allowed):
    settled = policy.exchange_settlement(credit=credit, replacement=replacement, surcharge_allowed=allowed)
    assert settled.refund == 0 or settled.surcharge == 0
    assert settled.covered + settled.surcharge == replacement
    assert settled.refund == max(credit - replacement, 0)
    if allowed:
        assert credit - settled.refund + settled.surcharge == replacement
    else:
        assert settled.surcharge == 0
