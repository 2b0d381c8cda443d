"""Issue 11, REF-5 wording: of a card only its last four digits are kept, read from the providers' own fields
(CloudPayments' CardLastFour, Epay's cardMask); anything else is "unknown", never stored."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payments.policy import card_last4


@pytest.mark.parametrize(
    ("given_value", "kept"),
    [
        ("4242", "4242"),  # CloudPayments CardLastFour
        ("440564******6150", "6150"),  # Epay cardMask
        (" 4242 ", "4242"),
        ("", ""),
        (None, ""),
        (True, ""),
        ("42", ""),
        ("****", ""),
        ("12ab", ""),
        ("٤٢٤٢", ""),  # Arabic-Indic digits are digits to str.isdigit, not to a bank
        (4242, "4242"),
    ],
)
def test_ref5_card_last4_keeps_four_ascii_digits_or_nothing(given_value, kept):
    assert card_last4(given_value) == kept


@given(st.text(max_size=40))
def test_ref5_card_last4_never_keeps_more_than_four_digits(value):
    kept = card_last4(value)
    assert kept == "" or (len(kept) == 4 and kept.isascii() and kept.isdigit() and value.strip().endswith(kept))
