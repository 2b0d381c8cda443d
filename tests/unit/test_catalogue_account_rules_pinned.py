"""Catalogue, account and payment rules that no example pinned down until mutation testing (`make mutation`,
issue 16) showed a changed rule still passing: the sale badge's percentage and a sale price of 0 (CAT-1), January
and December as season starts (CAT-2), foreign postcodes in lower case (ACC-3), and Kaspi's polling back-off
(PAY-4), each value of it."""

from datetime import timedelta
from decimal import Decimal

import pytest

from accounts import policy as accounts
from payments import policy as payments
from shop import policy as shop

# --- CAT-1: what the shopper pays and the badge that says how much they save ---------------------------------------


@pytest.mark.parametrize(
    ("price", "sale", "percent"),
    [
        ("10000", "7500", 25),  # a quarter off
        ("9999", "6666", 33),  # 33.33 % is shown as 33 %: never overstated
        ("100", "99.01", 0),  # 0.99 % rounds down to 0 %
        ("100", "1", 99),
        ("10000", None, 0),
        ("10000", "10000", 0),
        ("10000", "12000", 0),  # a "sale" above the price is no sale
        ("10000", "0", 0),  # nor is a sale price of 0
    ],
)
def test_cat1_sale_badge_shows_the_saving_rounded_down(price, sale, percent):
    assert shop.discount_percent(Decimal(price), Decimal(sale) if sale else None) == percent


@pytest.mark.parametrize(
    ("sale", "pays"),
    [("0", "10000"), ("-1", "10000"), ("0.01", "0.01"), ("9999.99", "9999.99"), ("10000", "10000"), ("10001", "10000")],
)
def test_cat1_a_sale_price_counts_only_between_zero_and_the_price(sale, pays):
    assert shop.current_price(Decimal("10000"), Decimal(sale)) == Decimal(pays)


# --- CAT-2: a season start is a real day of the year ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "day", "ok"),
    [
        (1, 1, True),
        (1, 31, True),
        (1, 32, False),
        (12, 1, True),
        (12, 31, True),
        (12, 32, False),
        (0, 1, False),
        (13, 1, False),
        (2, 29, True),
        (2, 30, False),
        (4, 30, True),
        (4, 31, False),
        (6, 0, False),
    ],
)
def test_cat2_january_and_december_are_season_starts_like_any_month(month, day, ok):
    assert shop.is_valid_month_day(month, day) is ok


# --- ACC-3: postal codes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "country", "ok"),
    [
        ("sw1a 1aa", "GB", True),  # lower case is how people type it
        ("SW1A 1AA", "gb", True),
        ("10115", "de", True),
        ("050000", "kz", True),  # the country in lower case still gets Kazakhstan's rule
        ("05000", "kz", False),
        ("0500001", "KZ", False),
        ("a", "GB", False),  # one character is not a postcode anywhere
        ("-1234", "GB", False),  # nor one that starts with a hyphen
        ("12345678901", "DE", False),  # nor eleven characters
        (" 050000 ", "KZ", True),
    ],
)
def test_acc3_postal_codes_in_any_letter_case(code, country, ok):
    assert accounts.is_valid_postal_code(code, country) is ok


# --- PAY-4: how often Kaspi is asked about an invoice --------------------------------------------------------------


def test_pay4_polling_backs_off_step_by_step_and_then_stays_at_a_minute():
    delays = [payments.next_check_delay(n) for n in range(-1, 10)]
    assert delays == [timedelta(seconds=s) for s in (5, 5, 5, 10, 10, 20, 30, 60, 60, 60, 60)]


# --- CAT-1: VAT inside a price -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "rate", "vat"),
    [("10100", "1", "100.00"), ("11200", "12", "1200.00"), ("100", "0", "0.00"), ("100", "-5", "0.00")],
)
def test_cat1_vat_included_at_low_zero_and_negative_rates(price, rate, vat):
    assert shop.vat_included(Decimal(price), Decimal(rate)) == Decimal(vat)


# --- LEG-3: the BIN check digit ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bin_", ["900324400726", "123456789013", "100000000001"])
def test_leg3_valid_bins_pass_and_every_other_check_digit_fails(bin_):
    assert shop.is_valid_bin(bin_)
    for digit in "0123456789":
        if digit != bin_[-1]:
            assert not shop.is_valid_bin(bin_[:-1] + digit), digit


# --- LEG-3 / meta description: cut at a word, within the limit ----------------------------------------------------


def test_meta_description_keeps_text_of_exactly_the_limit_and_cuts_one_more():
    assert shop.meta_description("x" * 160) == "x" * 160
    assert shop.meta_description("x" * 161) == "x" * 159 + "…"
    assert shop.meta_description("abcde", limit=5) == "abcde"


@pytest.mark.parametrize(
    ("text", "limit", "shown"),
    [
        ("aa bb cc dd", 9, "aa bb…"),  # the last whole word that fits, not the first
        ("one two, three four", 12, "one two…"),  # no punctuation left dangling before the ellipsis
        ("BOX items", 6, "BOX…"),  # only punctuation is trimmed, never letters
        ("—  lead  text that is long", 12, "— lead…"),  # the start stays as written
    ],
)
def test_meta_description_cuts_at_the_last_word_that_fits(text, limit, shown):
    assert shop.meta_description(text, limit=limit) == shown


# --- ACC-3: a phone number is at most 40 characters as typed ------------------------------------------------------


def test_acc3_a_phone_of_40_characters_is_read_and_one_of_41_is_refused():
    forty = "+7" + " " * 24 + " 701 123 45 67"
    assert len(forty) == 40 and accounts.normalise_phone(forty, "KZ") == "+77011234567"
    with pytest.raises(accounts.InvalidPhone):
        accounts.normalise_phone(forty.replace("+7 ", "+7  ", 1), "KZ")


@pytest.mark.parametrize(
    "typed",
    ["", "+7" + " " * 25 + " 701 123 45 67", "phone", "8 000 000 00 00"],  # empty, too long, unreadable, invalid
)
def test_acc3_a_refused_phone_carries_what_was_typed(typed):
    with pytest.raises(accounts.InvalidPhone) as refused:
        accounts.normalise_phone(typed, "KZ")
    assert refused.value.args == (typed,)
