"""Epay's rules as plain functions: decline reasons in plain words (PAY-5), reading a status check (PAY-3), the
secret_hash comparison that stands in for a signature (PAY-3), amounts on the wire, availability (PAY-1)."""

from decimal import Decimal

import pytest
from django.utils import translation

from orders.payment_methods import DECLINED, PAID, UNKNOWN, WAITING
from payments.adapters.epay import (
    Epay,
    decline_message,
    epay_language,
    parse_status,
    secret_hash_matches,
    wire_amount,
)

GENERIC = "The bank declined the payment. Try another card."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("code", "reason", "says"),
    [
        ("470", "", "not enough money"),
        (476, None, "not enough money"),
        ("", "Insufficient funds", "not enough money"),
        ("999", "Недостаточно средств на карте", "not enough money"),
        ("457", "", "has expired"),
        ("", "Card expired", "has expired"),
        ("456", "", "not enabled for internet payments"),
        ("", "Card is not allowed for internet payments", "not enabled for internet payments"),
        ("455", "", "entered incorrectly"),
        ("", "Invalid CVC", "entered incorrectly"),
        ("469", "", "3-D Secure"),
        ("", "3-D Secure authentication failed", "3-D Secure"),
    ],
)
def test_pay5_decline_reasons_in_plain_words(code, reason, says):
    """PAY-5: insufficient funds, expired card, card not allowed for internet, wrong card data, 3-D Secure."""
    # when
    message = decline_message(code, reason)
    # then
    assert says in message and message != GENERIC


@pytest.mark.parametrize(
    ("code", "reason"), [("454", "Declined by the issuing bank"), ("", ""), (None, None), ("x", 5)]
)
def test_pay5_any_other_decline_is_the_generic_bank_message(code, reason):
    """PAY-5: an unknown code or reason → "the bank declined, try another card"."""
    assert decline_message(code, reason) == GENERIC


def transaction(status, **extra):
    return {
        "resultCode": "100",
        "resultMessage": "Success",
        "transaction": {"id": "a1b2", "invoiceID": "1234567801", "amount": 17490, "currency": "KZT",
                        "statusName": status, **extra},
    }


@pytest.mark.parametrize("status", ["CHARGE", "AUTH", "charge"])
def test_pay3_status_charge_and_auth_are_paid_with_decimal_amount(status):
    """PAY-3: CHARGE (taken) and AUTH (held) are paid; the amount is read as Decimal, never a float."""
    result = parse_status(transaction(status, amount=17490.5))
    assert result.state == PAID and result.amount == Decimal("17490.5") and isinstance(result.amount, Decimal)
    assert result.currency == "KZT" and result.transaction_id == "a1b2"


def test_pay3_status_new_is_waiting_failed_and_cancel_are_declined_with_a_plain_reason():
    """PAY-3/PAY-5: NEW = not paid yet; FAILED/CANCEL = declined, with the customer's message."""
    assert parse_status(transaction("NEW")).state == WAITING
    failed = parse_status(transaction("FAILED", reasonCode="470", reason="Insufficient funds"))
    assert failed.state == DECLINED and failed.reason_code == "470" and "not enough money" in failed.reason
    assert parse_status(transaction("CANCEL")).state == DECLINED


@pytest.mark.parametrize(
    "answer",
    [
        transaction("REFUND"),
        transaction(""),
        transaction("CHARGE", amount=None),
        transaction("CHARGE", amount="lots"),
        transaction("CHARGE", amount=True),
        transaction("CHARGE", id=""),
        {"resultCode": "102", "resultMessage": "transaction not found"},
        {"resultCode": "100"},
        {"resultCode": "100", "transaction": "CHARGE"},
        None,
        [],
        "CHARGE",
    ],
)
def test_pay3_anything_else_in_a_status_check_is_unknown_and_applies_nothing(answer):
    """PAY-3: a refund, a missing transaction, a missing amount or garbage never counts as paid or declined."""
    assert parse_status(answer).state == UNKNOWN


def test_pay3_secret_hash_must_match_exactly():
    """PAY-3: the callback's secret_hash must equal the stored one (constant-time); empty never matches."""
    stored = "k3P-9xQ_vT2mN8rL5wY1zA4bC7dE0fG6hJ"
    assert secret_hash_matches(stored, stored)
    assert not secret_hash_matches(stored, stored[:-1] + "X")
    assert not secret_hash_matches(stored, stored + "X")
    assert not secret_hash_matches(stored, "")
    assert not secret_hash_matches(stored, None)
    assert not secret_hash_matches(stored, 12345)
    assert not secret_hash_matches("", "")
    assert not secret_hash_matches("", "anything")


def test_pay1_amounts_and_languages_on_the_wire():
    """PAY-1: Epay takes tenge ("15990", "15990.50") and rus/kaz/eng."""
    assert wire_amount(Decimal("15990.00")) == "15990"
    assert wire_amount(Decimal("15990.5")) == "15990.50"
    assert (epay_language("ru"), epay_language("kk"), epay_language("en"), epay_language(None)) == (
        "rus", "kaz", "eng", "rus"
    )


@pytest.mark.parametrize("missing", ["EPAY_CLIENT_ID", "EPAY_CLIENT_SECRET", "EPAY_TERMINAL_ID"])
def test_pay1_epay_is_offered_only_with_its_keys(settings, missing):
    """PAY-1: without the bank's keys (production before setup) Epay is not offered; with them, for any amount."""
    adapter = Epay()
    assert adapter.is_available(amount=Decimal("5"), delivery_method="courier")
    assert not adapter.is_available(amount=Decimal("0"), delivery_method="courier")
    setattr(settings, missing, "")
    assert not adapter.is_available(amount=Decimal("5000"), delivery_method="courier")
