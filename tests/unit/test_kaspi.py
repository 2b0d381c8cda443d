"""Kaspi Pay's pure parts (PAY-1, PAY-3, PAY-5): status parsing, phone normalisation, the envelope and its errors."""

import json
from decimal import Decimal

import pytest
from django.utils import translation

from orders.payment_methods import DECLINED, PAID, UNKNOWN, WAITING
from payments.adapters.kaspi import (
    KaspiError,
    kaspi_amount,
    kaspi_phone,
    no_invoice_message,
    parse_status,
    read_envelope,
)
from payments.sandbox.kaspi import ten_digits


@pytest.fixture(autouse=True)
def english():
    """The messages are matched by their English msgids."""
    with translation.override("en"):
        yield


def envelope(code=0, message="", data=None) -> bytes:
    return json.dumps({"StatusCode": code, "Message": message, "Data": data}).encode()


# --- status parsing -------------------------------------------------------------------------------------------------


def test_pay1_processed_status_is_paid_with_kaspis_amount_and_transaction():
    """PAY-1: Processed = paid; the amount Kaspi took is kept (Decimal) so the services can compare it (PAY-3)."""
    # given: Kaspi's Data for a paid invoice
    data = read_envelope(200, b'{"StatusCode": 0, "Message": "", "Data": {"Status": "Processed", '
                              b'"TransactionId": "KT555", "Amount": 12490.50}}')
    # when
    result = parse_status(data, qr_payment_id="555")
    # then
    assert result.state == PAID
    assert result.amount == Decimal("12490.50") and isinstance(result.amount, Decimal)
    assert result.currency == "KZT"
    assert result.transaction_id == "KT555"


def test_pay4_processed_without_transaction_id_is_keyed_by_the_qr_payment_id():
    """PAY-4: the once-only key of a payment falls back to the QrPaymentId (unique per invoice)."""
    # given / when
    result = parse_status({"Status": "Processed"}, qr_payment_id="777")
    # then
    assert result.state == PAID and result.transaction_id == "qr777" and result.amount is None


@pytest.mark.parametrize("status", ["Wait", "wait", "QrTokenCreated"])
def test_pay1_wait_status_is_still_waiting(status):
    """PAY-1: an invoice still open in the app is asked about again later."""
    assert parse_status({"Status": status}).state == WAITING


@pytest.mark.parametrize("status", ["Error", "RemotePaymentCanceled", "Canceled"])
def test_pay5_error_status_is_declined_with_a_plain_message(status):
    """PAY-5: a declined invoice tells the customer in plain words and offers a retry."""
    # given / when
    result = parse_status({"Status": status})
    # then
    assert result.state == DECLINED
    assert "Kaspi" in result.reason and "try again" in result.reason
    assert result.reason_code and status.startswith(result.reason_code)  # decline_code holds 20 characters


@pytest.mark.parametrize("data", [{}, {"Status": ""}, {"Status": "Teleported"}, None, {"Status": None}])
def test_pay4_unknown_or_missing_status_changes_nothing(data):
    """PAY-4: anything we do not understand is "unknown": the services apply nothing and ask again."""
    assert parse_status(data).state == UNKNOWN


# --- phone normalisation -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["+77011234567", "+7 701 123-45-67", "87011234567", "8 (701) 123 45 67", "7011234567", "77011234567"]
)
def test_pay1_phone_goes_to_kaspi_as_ten_digits_after_plus_seven(raw):
    """PAY-1: Kaspi gets the number linked to the app as the ten digits after +7, whatever the customer typed."""
    assert kaspi_phone(raw) == "7011234567"
    assert ten_digits(raw) == "7011234567"  # the sandbox reads it the same way


@pytest.mark.parametrize("raw", ["", "12345", "+1 650 253 00001", "abc", "+770112345678"])
def test_pay1_phone_that_is_not_kazakh_is_refused(raw):
    """PAY-1: no invoice goes to a number that is not ten digits after +7."""
    with pytest.raises(ValueError):
        kaspi_phone(raw)
    assert ten_digits(raw) == ""


def test_pay1_amount_is_a_json_number_whole_tenge_as_integer():
    """PAY-1: Amount is a number in the JSON, never a string, never a float for whole tenge."""
    assert kaspi_amount(Decimal("12490.00")) == 12490 and isinstance(kaspi_amount(Decimal("12490.00")), int)
    assert kaspi_amount(Decimal("99.50")) == 99.5


# --- envelope errors -----------------------------------------------------------------------------------------------


def test_pay3_envelope_with_zero_status_code_gives_its_data():
    """PAY-3: StatusCode 0 is Kaspi's "yes"; the Data is what we read."""
    assert read_envelope(200, envelope(data={"QrPaymentId": 15})) == {"QrPaymentId": 15}


def test_pay3_non_zero_status_code_is_kaspis_no_with_its_code_and_message():
    """PAY-3: a non-zero StatusCode raises with the code and Kaspi's message (for the log and the customer)."""
    # given / when
    with pytest.raises(KaspiError) as caught:
        read_envelope(200, envelope(code=-1, message="no Kaspi account"))
    # then
    assert caught.value.status_code == -1 and caught.value.message == "no Kaspi account"


@pytest.mark.parametrize(
    "status, body",
    [(200, b"<html>gateway</html>"), (502, b""), (200, b"[]"), (200, b'{"Data": {}}'), (500, envelope()),
     (200, b'{"StatusCode": "x"}')],
)
def test_pay3_anything_but_an_envelope_is_an_error_without_a_code(status, body):
    """PAY-3: HTML, an empty body, an HTTP error or a garbled envelope is never read as success."""
    with pytest.raises(KaspiError) as caught:
        read_envelope(status, body)
    assert caught.value.status_code is None


def test_pay3_envelope_with_null_data_is_an_empty_dict():
    assert read_envelope(200, envelope(data=None)) == {}


def test_pay5_no_account_refusal_names_the_number_other_refusals_say_retry_later():
    """PAY-5: "this phone has no Kaspi account" in plain words; other refusals ask to retry or switch."""
    assert "+77011230000" in no_invoice_message("+77011230000", -1)
    assert "no Kaspi account" in no_invoice_message("+77011230000", -1)
    assert "Try again in a minute" in no_invoice_message("+77011230000", -1501)
