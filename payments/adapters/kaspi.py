"""Kaspi Pay adapter (PAY-1): a remote invoice to the customer's Kaspi phone, paid in the Kaspi app, learnt by polling.

Kaspi's QR/Pay merchant API (``KASPI_API_URL``) is called with the organisation's BIN, the device token of the
registered "cash desk" and, over mutual TLS, the client certificate Kaspi issues. Every answer is the envelope
``{"StatusCode": 0, "Message": "", "Data": {...}}``; a non-zero StatusCode is Kaspi saying no. Kaspi does not call
us back: `payments.services.poll_open_payments` asks ``payment/status/{QrPaymentId}`` with back-off, and the
customer's "I have paid — check now" asks at once.

The phone number goes to Kaspi as the ten digits after +7 (``7011234567``): that is how Kaspi's remote-payment
API writes phones, and the same form a Kazakh customer recognises without a country code."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from base.money import to_tiyn
from orders.payment_methods import (
    DECLINED,
    PAID,
    UNKNOWN,
    WAITING,
    Action,
    PaymentAdapter,
    RefundChannel,
    RefundResult,
    StatusResult,
)
from payments import events, policy, services, transport
from payments.forms import KaspiPhoneForm
from payments.models import PaymentEvent
from payments.policy import parse_amount

CURRENCY = "KZT"
# Kaspi's invoice statuses: paid, still open in the app, and the ways an invoice ends unpaid.
PAID_STATUSES = {"processed"}
WAITING_STATUSES = {"wait", "created", "qrtokencreated"}
DECLINED_STATUSES = {"error", "canceled", "cancelled", "remotepaymentcanceled", "declined", "expired"}
# remote/create StatusCodes that mean "this phone cannot get a Kaspi invoice" (the sandbox answers -1 for a
# number ending in 0000). Any other refusal is ours or Kaspi's to fix, and the customer is told to retry later.
NO_ACCOUNT_CODES = {-1}


class KaspiError(Exception):
    """Kaspi answered with a non-zero StatusCode, an HTTP error, or something that is not its envelope."""

    def __init__(self, status_code: int | None, message: str):
        super().__init__(f"Kaspi StatusCode {status_code}: {message}")
        self.status_code = status_code
        self.message = message


# --- Pure functions (unit-tested without a database) -------------------------------------------------------------


def kaspi_phone(phone: str) -> str:
    """The ten digits after +7, as Kaspi wants them: "+7 701 123-45-67", "87011234567" → "7011234567"."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10:
        raise ValueError("not a Kazakhstan phone number")
    return digits


def kaspi_amount(amount: Decimal) -> int | float:
    """Amount as a JSON number: whole tenge as an integer (the usual case), else with its tiyn."""
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return int(amount)
    return float(to_tiyn(amount))


def read_envelope(status: int, body: bytes) -> dict:
    """The envelope's Data, or KaspiError. Numbers are read as Decimal so amounts are never floats."""
    try:
        envelope = json.loads((body or b"").decode("utf-8") or "null", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        envelope = None
    if not isinstance(envelope, dict) or "StatusCode" not in envelope:
        raise KaspiError(None, f"HTTP {status}: not a Kaspi envelope")
    try:
        code = int(envelope.get("StatusCode"))
    except (TypeError, ValueError):
        raise KaspiError(None, "StatusCode is not a number") from None
    message = str(envelope.get("Message") or "")[:200]
    if code != 0:
        raise KaspiError(code, message)
    if status >= 400:
        raise KaspiError(None, f"HTTP {status}")
    data = envelope.get("Data")
    return data if isinstance(data, dict) else {}


def declined_message() -> str:
    return gettext(
        "The invoice was declined or cancelled in the Kaspi app. You can send a new invoice and try again, "
        "or choose another payment method."
    )


def parse_status(data: dict, *, qr_payment_id: str = "") -> StatusResult:
    """Kaspi's ``payment/status`` Data → our StatusResult. Processed = paid (with the amount Kaspi took, so a
    different amount is refused by the services), Wait = still open, Error/cancelled = declined, anything else
    = unknown (asked again later)."""
    if not isinstance(data, dict):
        return StatusResult(state=UNKNOWN, reason="no data")
    raw = str(data.get("Status") or "")
    status = raw.strip().lower()
    if status in PAID_STATUSES:
        transaction_id = str(data.get("TransactionId") or "").strip()
        qr = str(data.get("QrPaymentId") or qr_payment_id or "").strip()
        return StatusResult(
            state=PAID,
            amount=parse_amount(data.get("Amount")),
            currency=CURRENCY,
            transaction_id=(transaction_id or (f"qr{qr}" if qr else ""))[:64],
            raw=raw[:40],
        )
    if status in WAITING_STATUSES:
        return StatusResult(state=WAITING, raw=raw[:40])
    if status in DECLINED_STATUSES:
        return StatusResult(state=DECLINED, reason_code=raw[:20], reason=declined_message(), raw=raw[:40])
    return StatusResult(state=UNKNOWN, reason=f"unknown status {raw[:40]!r}", raw=raw[:40])


def no_invoice_message(phone: str, status_code: int | None) -> str:
    """What the customer reads when Kaspi refuses to create the invoice."""
    if status_code in NO_ACCOUNT_CODES:
        return gettext(
            "Kaspi could not send the invoice: the number %(phone)s has no Kaspi account. Check the number, "
            "enter the one linked to your Kaspi.kz app, or choose another payment method."
        ) % {"phone": phone}
    return gettext(
        "Kaspi Pay did not accept the invoice right now. Try again in a minute or choose another payment method."
    )


# --- The adapter --------------------------------------------------------------------------------------------------


def _url(path: str) -> str:
    return f"{settings.KASPI_API_URL.rstrip('/')}/{path.lstrip('/')}"


def _talks_to_real_kaspi() -> bool:
    return urlsplit(settings.KASPI_API_URL or "").hostname != settings.SHOP_PAYMENT_SANDBOX_HOST


def _client_cert():
    if settings.KASPI_CLIENT_CERT:
        return (settings.KASPI_CLIENT_CERT, settings.KASPI_CLIENT_KEY)
    return None


def _call(method: str, path: str, payload: dict | None = None) -> dict:
    answer = transport.send(method, _url(path), json=payload, client_cert=_client_cert())
    return read_envelope(answer.status, answer.body)


class KaspiPay(PaymentAdapter):
    code = "kaspi"
    label = _("Kaspi Pay")
    online = True
    polls = True
    asks_phone = True
    waiting_template = "payments/kaspi/waiting.html"
    refund_channel = RefundChannel.EWALLET  # REF-5: an e-payment system, 10 calendar days

    def is_available(self, *, amount, delivery_method) -> bool:
        if not (settings.KASPI_API_URL and settings.KASPI_ORGANIZATION_BIN and settings.KASPI_DEVICE_TOKEN):
            return False
        if _talks_to_real_kaspi() and not settings.KASPI_CLIENT_CERT:
            return False  # Kaspi's API accepts only mutual-TLS calls with the certificate it issued
        return amount > 0

    def start(self, payment, request=None) -> Action:
        """Send the invoice to the customer's Kaspi app. A number Kaspi refuses is said in plain words on the
        payment page, with the phone form to try another; nothing is left waiting."""
        phone = kaspi_phone(payment.phone)
        with translation.override(payment.order.language or settings.LANGUAGE_CODE):  # shown in the customer's app
            comment = gettext("Order %(number)s") % {"number": payment.order.number}
        payload = {
            "Amount": kaspi_amount(payment.amount),
            "PhoneNumber": phone,
            "Comment": comment,
            "DeviceToken": settings.KASPI_DEVICE_TOKEN,
            "OrganizationBin": settings.KASPI_ORGANIZATION_BIN,
        }
        try:
            data = _call("POST", "remote/create", payload)
        except KaspiError as error:
            events.record(
                payment=payment,
                kind=PaymentEvent.Kind.CALL,
                verified=True,
                outcome=f"remote/create refused: {error.status_code} {error.message}",
            )
            if error.status_code is None:
                raise  # not Kaspi's "no": the view says the service does not answer
            message = no_invoice_message(payment.phone, error.status_code)
            services.record_decline(payment=payment, reason_code=str(error.status_code), message=message)
            return Action(
                kind="instructions",
                template="payments/kaspi/refused.html",
                context={"message": message, "phone_form": KaspiPhoneForm(initial={"phone": payment.phone})},
            )
        qr_payment_id = str(data.get("QrPaymentId") or "").strip()
        if not qr_payment_id:
            events.record(
                payment=payment, kind=PaymentEvent.Kind.CALL, outcome="remote/create: no QrPaymentId", payload=data
            )
            raise KaspiError(None, "no QrPaymentId in the answer")
        services.mark_pending(
            payment,
            provider_payment_id=qr_payment_id[:64],
            next_check_at=timezone.now() + policy.next_check_delay(0),
        )
        events.record(payment=payment, kind=PaymentEvent.Kind.CALL, verified=True, outcome="invoice sent", payload=data)
        return Action(kind="wait")

    def fetch_status(self, payment) -> StatusResult:
        if not payment.provider_payment_id:
            return StatusResult(state=UNKNOWN, reason="no invoice at Kaspi")
        try:
            data = _call("GET", f"payment/status/{payment.provider_payment_id}")
        except KaspiError as error:
            events.record(payment=payment, kind=PaymentEvent.Kind.STATUS, outcome=f"refused: {error}"[:200])
            return StatusResult(state=UNKNOWN, reason=error.message)
        # The decline message is stored for the customer: in the order's language, not the poller's.
        with translation.override(getattr(payment.order, "language", None) or settings.LANGUAGE_CODE):
            result = parse_status(data, qr_payment_id=payment.provider_payment_id)
        events.record(payment=payment, kind=PaymentEvent.Kind.STATUS, verified=True, outcome=result.state, payload=data)
        return result

    def refund(self, payment, amount, refund) -> RefundResult:
        payload = {
            "QrPaymentId": int(payment.provider_payment_id)
            if payment.provider_payment_id.isdigit()
            else payment.provider_payment_id,
            "Amount": kaspi_amount(amount),
            "DeviceToken": settings.KASPI_DEVICE_TOKEN,
            "OrganizationBin": settings.KASPI_ORGANIZATION_BIN,
        }
        try:
            data = _call("POST", "payment/return", payload)
        except KaspiError as error:
            if error.status_code is None:
                raise  # unreachable or garbled: the refund stays pending for support to retry
            return RefundResult(ok=False, message=f"Kaspi {error.status_code}: {error.message}"[:300])
        refund_id = str(
            data.get("ReturnOperationId") or data.get("OperationId") or f"{payment.provider_payment_id}-r{refund.pk}"
        )
        return RefundResult(ok=True, provider_refund_id=refund_id[:64])
