"""CloudPayments protocol rules without a database: the notification signature (PAY-3), decline reasons in plain
words (PAY-5), and reading the API's answers (PAY-7, status checks)."""

import base64
import hashlib
import hmac
from decimal import Decimal

import pytest
from django.utils import translation

from orders.payment_methods import DECLINED, PAID, UNKNOWN, WAITING
from payments.adapters.cloudpayments import (
    decline_message,
    notification_fields,
    parse_amount,
    parse_refund,
    parse_status,
    sign,
    verify,
    verify_request,
)

SECRET = "sandbox-api-secret"
BODY = (
    b"TransactionId=1234567&Amount=12990.00&Currency=KZT&InvoiceId=1000000101&AccountId=a%40example.kz"
    b"&Email=a%40example.kz&Status=Completed&OperationType=Payment&TestMode=1"
)


def expected(body: bytes, secret: str = SECRET) -> str:
    """The formula of the issue, computed independently with Python's hmac."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_pay3_sign_is_base64_hmac_sha256_of_the_raw_body():
    """PAY-3: Content-HMAC = base64(HMAC-SHA256(API secret, raw body))."""
    # given / when
    signature = sign(BODY, SECRET)
    # then
    assert signature == expected(BODY)
    assert len(base64.b64decode(signature)) == 32
    assert sign(b"", SECRET) == expected(b"")
    assert sign(BODY, SECRET.encode()) == signature  # bytes or str secret, the same key


def test_pay3_verify_accepts_the_right_signature_in_either_header():
    """PAY-3: the provider's signature is accepted from Content-HMAC and from X-Content-HMAC."""
    # given
    good = expected(BODY)
    # when / then
    assert verify(BODY, good, SECRET)
    assert verify_request(BODY, {"Content-HMAC": good}, SECRET)
    assert verify_request(BODY, {"X-Content-HMAC": good}, SECRET)
    assert verify_request(BODY, {"Content-HMAC": "bogus", "X-Content-HMAC": good}, SECRET)


def test_pay3_a_tampered_byte_or_a_wrong_key_fails_in_both_headers():
    """PAY-3: one changed byte of the body (here the amount) breaks the signature; so does another key."""
    # given
    good = expected(BODY)
    tampered = BODY.replace(b"12990.00", b"12990.01")
    flipped = bytes([BODY[0] ^ 1]) + BODY[1:]
    # when / then
    for body in (tampered, flipped):
        assert not verify(body, good, SECRET)
        assert not verify_request(body, {"Content-HMAC": good}, SECRET)
        assert not verify_request(body, {"X-Content-HMAC": good}, SECRET)
    assert not verify(BODY, expected(BODY, "another-secret"), SECRET)
    assert not verify(BODY, good[:-2] + "AA", SECRET)


def test_pay3_missing_header_or_secret_is_never_trusted():
    """PAY-3: no signature, an empty one or an unset secret: refused."""
    assert not verify(BODY, None, SECRET)
    assert not verify(BODY, "", SECRET)
    assert not verify(BODY, expected(BODY, ""), "")
    assert not verify_request(BODY, {}, SECRET)
    assert not verify(BODY, "не-ascii-подпись", SECRET)


def test_pay3_x_content_hmac_over_the_url_decoded_body_is_accepted_too():
    """PAY-3: some CloudPayments setups sign X-Content-HMAC over the URL-decoded parameters: still the secret."""
    # given
    decoded = BODY.replace(b"%40", b"@")
    # when / then
    assert verify_request(BODY, {"X-Content-HMAC": expected(decoded)}, SECRET)
    assert not verify_request(BODY, {"X-Content-HMAC": expected(decoded, "another-secret")}, SECRET)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("5051", "not have enough money"),
        (5051, "not have enough money"),
        ("5054", "expired"),
        ("5033", "expired"),
        ("5057", "not enabled for internet payments"),
        ("5058", "not enabled for internet payments"),
        ("5012", "not enabled for internet payments"),
        ("5014", "entered wrongly"),
        ("5082", "entered wrongly"),
        ("5006", "entered wrongly"),
        ("5206", "3-D Secure"),
        ("5207", "3-D Secure"),
        ("5005", "The bank declined the payment. Try another card."),
        ("", "The bank declined the payment. Try another card."),
        (None, "The bank declined the payment. Try another card."),
    ],
)
def test_pay5_decline_codes_in_plain_words(code, words):
    """PAY-5: each ReasonCode reads as plain words; anything unknown as "the bank declined, try another card"."""
    # when
    message = decline_message(code)
    # then
    assert words in message


def test_pay5_every_decline_message_says_what_to_do_next():
    """PAY-5: each message ends with an action: try again, another card or another method."""
    for code in ("5051", "5054", "5057", "5014", "5206", "9999"):
        message = decline_message(code).lower()
        assert any(hint in message for hint in ("try again", "another card", "another payment method")), message


def test_pay5_decline_message_is_translated():
    """PAY-5: the message is a gettext string (translated for the customer's language)."""
    with translation.override("ru"):
        russian = decline_message("5051")
    assert russian  # falls back to English until the lead's translations land, never empty


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("12990.00", Decimal("12990.00")),
        ("12990", Decimal("12990")),
        (12990.5, Decimal("12990.5")),
        (" 100.10 ", Decimal("100.10")),
        ("abc", None),
        ("NaN", None),
        ("", None),
        (None, None),
    ],
)
def test_pay3_amounts_are_compared_as_decimals(value, amount):
    """PAY-3: "12990.00" and "12990" are the same money; junk is not money."""
    assert parse_amount(value) == amount


def test_status_parsing_completed_authorized_declined_waiting_unknown():
    """PAY-3/PAY-5: /payments/find answers read as PAID, DECLINED (with the plain reason), WAITING or UNKNOWN."""
    model = {"TransactionId": 77, "Amount": 12990.0, "Currency": "KZT", "InvoiceId": "1000000101"}
    # Completed and Authorized mean the money is taken
    for status in ("Completed", "Authorized"):
        result = parse_status({"Success": True, "Message": None, "Model": {**model, "Status": status}})
        assert result.state == PAID
        assert result.amount == Decimal("12990") and result.currency == "KZT" and result.transaction_id == "77"
    # Declined carries the ReasonCode and the plain message
    declined = parse_status({"Success": True, "Model": {**model, "Status": "Declined", "ReasonCode": 5051}})
    assert declined.state == DECLINED and declined.reason_code == "5051"
    assert declined.reason == decline_message("5051")
    # 3-D Secure in progress, not found: still waiting
    assert parse_status({"Success": True, "Model": {**model, "Status": "AwaitingAuthentication"}}).state == WAITING
    assert parse_status({"Success": False, "Message": "Not found", "Model": None}).state == WAITING
    # anything else: unknown, nothing is applied
    assert parse_status({"Success": True, "Model": {**model, "Status": "Cancelled"}}).state == UNKNOWN
    assert parse_status({"Success": False, "Message": "Internal error"}).state == UNKNOWN
    assert parse_status(None).state == UNKNOWN
    assert parse_status(["junk"]).state == UNKNOWN


def test_pay7_refund_answer_parsing():
    """PAY-7: {"Success": true, "Model": {"TransactionId"}} is a refund with the provider's id; otherwise refused."""
    ok = parse_refund({"Success": True, "Message": None, "Model": {"TransactionId": 568}})
    assert ok.ok and ok.provider_refund_id == "568"
    refused = parse_refund({"Success": False, "Message": "Refund amount exceeds", "Model": None})
    assert not refused.ok and refused.message == "Refund amount exceeds"
    assert not parse_refund(None).ok


def test_pay3_notification_fields_from_form_or_json():
    """PAY-3: notifications are form-encoded; a JSON body (cabinet option) is read the same way; junk is empty."""
    form = notification_fields(BODY, "application/x-www-form-urlencoded")
    assert form["InvoiceId"] == "1000000101" and form["AccountId"] == "a@example.kz"
    as_json = notification_fields(b'{"InvoiceId": "1000000101", "Amount": 12990, "Data": null}', "application/json")
    assert as_json == {"InvoiceId": "1000000101", "Amount": "12990", "Data": ""}
    assert notification_fields(b"{not json", "application/json") == {}
    assert notification_fields(b"[1, 2]", "application/json") == {}
