"""Cabinet rules (ACC-3) as pure functions: phone normalisation, postal codes, the address cap, anonymised
e-mails and the export file name."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import policy


@pytest.mark.parametrize(
    "typed",
    [
        "+77011234567",
        "+7 701 123 45 67",
        "+7 (701) 123-45-67",
        "8 701 123 45 67",
        "87011234567",
        "7011234567",
        " 8-701-123-45-67 ",
    ],
)
def test_acc3_kazakh_mobile_numbers_as_people_type_them_become_e164(typed):
    assert policy.normalise_phone(typed, "KZ") == "+77011234567"


def test_acc3_almaty_landline_and_foreign_numbers_with_a_plus_are_accepted():
    assert policy.normalise_phone("8 727 250 00 00", "KZ") == "+77272500000"
    assert policy.normalise_phone("+49 30 901820", "KZ") == "+4930901820"


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "12345", "+7 701 123 45 67 89", "phone", "+0 000", "8 000 000 00 00", "+" + "7" * 50, "7" * 41],
)
def test_acc3_things_that_are_not_phone_numbers_are_refused(typed):
    with pytest.raises(policy.InvalidPhone):
        policy.normalise_phone(typed, "KZ")


@given(st.text(max_size=60))
def test_acc3_normalise_phone_returns_e164_or_refuses_never_crashes(text):
    try:
        result = policy.normalise_phone(text, "KZ")
    except policy.InvalidPhone:
        return
    assert result.startswith("+")
    assert result[1:].isdigit()
    assert len(result) <= 16  # E.164: at most 15 digits
    assert policy.normalise_phone(result, "KZ") == result  # idempotent


def test_acc3_display_phone_groups_digits_and_keeps_what_it_cannot_read():
    assert policy.display_phone("+77011234567") == "+7 701 123 4567"
    assert policy.display_phone("garbage") == "garbage"


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("050000", True),
        ("010000", True),
        ("05000", False),
        ("0500001", False),
        ("ABC123", False),
        ("", False),
        (" 050000 ", True),
    ],
)
def test_acc3_kazakh_postal_codes_have_six_digits(code, ok):
    assert policy.is_valid_postal_code(code, "KZ") is ok


def test_acc3_other_countries_postal_codes_are_accepted_loosely():
    assert policy.is_valid_postal_code("SW1A 1AA", "GB")
    assert not policy.is_valid_postal_code("!!", "GB")


@given(limit=st.integers(min_value=0, max_value=100), existing=st.integers(min_value=0, max_value=120))
def test_acc3_address_cap(limit, existing):
    assert policy.can_add_address(existing, limit) is (existing < limit)


def test_acc3_first_address_is_default_later_ones_on_request():
    assert policy.new_address_is_default(0, requested=False)
    assert policy.new_address_is_default(0, requested=True)
    assert not policy.new_address_is_default(1, requested=False)
    assert policy.new_address_is_default(3, requested=True)


@given(st.integers(min_value=1, max_value=10**12))
def test_acc3_anonymised_email_is_unique_per_account_and_undeliverable(user_id):
    email = policy.anonymised_email(user_id)
    assert email == f"deleted-{user_id}@invalid.example"
    assert email.endswith(".example")  # a reserved top-level domain: no mail server anywhere
    assert policy.anonymised_email(user_id + 1) != email


def test_acc3_export_filename_carries_the_date():
    assert policy.export_filename(date(2025, 3, 8)) == "my-data-2025-03-08.json"
