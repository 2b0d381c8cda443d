"""Money in tenge (base.money): the tiyn, half-up rounding and the one format people read."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from base.money import (
    TIYN,
    format_amount_in_sentence,
    format_money,
    from_tiyn_count,
    is_whole_tiyn,
    tiyn_count,
    to_tiyn,
)

amounts = st.decimals(min_value=Decimal("-10000000"), max_value=Decimal("10000000"), allow_nan=False, places=6)


@pytest.mark.parametrize(
    ("value", "tiyn"),
    [
        ("0.005", "0.01"),  # half a tiyn goes up
        ("0.004", "0.00"),
        ("2.675", "2.68"),  # no binary float in between: exactly half, so up
        ("-0.005", "-0.01"),  # half up is away from zero
        ("12990", "12990.00"),
        (12990, "12990.00"),
    ],
)
def test_to_tiyn_rounds_half_up_to_two_places(value, tiyn):
    assert to_tiyn(value) == Decimal(tiyn)
    assert to_tiyn(value).as_tuple().exponent == -2


@given(amounts)
def test_to_tiyn_is_idempotent_and_within_half_a_tiyn(amount):
    once = to_tiyn(amount)
    assert to_tiyn(once) == once
    assert is_whole_tiyn(once)
    assert abs(once - amount) <= TIYN / 2


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12990.00"), "12\u202f990\u00a0₸"),
        (Decimal("1500.50"), "1\u202f500,50\u00a0₸"),
        (Decimal("0.5"), "0,50\u00a0₸"),
        (Decimal("0"), "0\u00a0₸"),
        (Decimal("1234567.891"), "1\u202f234\u202f567,89\u00a0₸"),
        ("45580", "45\u202f580\u00a0₸"),
        (None, ""),
        ("", ""),
        ("abc", ""),
    ],
)
def test_format_money_writes_tenge_on_one_line_with_tiyn_only_when_there_are_any(value, text):
    assert format_money(value) == text


def test_format_money_names_another_currency_by_its_code():
    assert format_money(Decimal("10"), "USD") == "10\u00a0USD"


@given(amounts)
def test_format_money_never_breaks_and_reads_back_as_the_rounded_amount(amount):
    text = format_money(amount)
    assert " " not in text and text.endswith("\u00a0₸")
    number = text.removesuffix("\u00a0₸").replace("\u202f", "").replace(",", ".")
    assert Decimal(number) == to_tiyn(amount)


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [(Decimal("50000"), 0, "50\u00a0000"), (Decimal("11500.00"), 2, "11\u00a0500.00"), (Decimal("0"), 0, "0")],
)
def test_amount_in_a_translated_sentence_keeps_the_catalogues_form(value, places, text):
    assert format_amount_in_sentence(value, places=places) == text


def test_tiyn_counts_are_exact_and_refuse_fractions_and_negatives():
    assert tiyn_count(Decimal("333.34")) == 33334 and from_tiyn_count(33334) == Decimal("333.34")
    assert from_tiyn_count(0) == Decimal("0.00")
    with pytest.raises(ValueError, match="discount must be whole tiyn"):
        tiyn_count(Decimal("1.005"), "discount")
    with pytest.raises(ValueError, match="must not be negative"):
        tiyn_count(Decimal("-0.01"))
