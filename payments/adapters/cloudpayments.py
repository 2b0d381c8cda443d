"""CloudPayments / TipTop Pay card adapter (PAY-1..7): the provider's JS widget takes the card (PAY-2), its signed
notifications (Check, Pay, Fail, Refund, Confirm, Cancel) tell us what happened, its API refunds and finds payments.

The pure functions at the top — `sign`, `verify`, `decline_message`, `parse_status`, `parse_refund` — are the rules
of the protocol, unit-tested without a database; `CloudPayments` wires them to the payments services."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from decimal import Decimal
from urllib.parse import parse_qsl, unquote_plus

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from base.money import to_tiyn
from base.request_text import is_safe_data
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
from payments import events, services, transport
from payments.models import Payment, PaymentEvent, PaymentStatus
from payments.policy import parse_amount

KINDS = ("check", "pay", "fail", "refund", "confirm", "cancel")
SIGNATURE_HEADERS = ("Content-HMAC", "X-Content-HMAC")

# Reply codes of the notification protocol (https://developers.cloudpayments.ru/#proverka-uvedomleniy).
CODE_OK = 0
CODE_UNKNOWN_INVOICE = 10
CODE_WRONG_AMOUNT = 12
CODE_NOT_ACCEPTABLE = 13
CODE_EXPIRED = 20
CHECK_CODES = {
    services.WRONG_AMOUNT: CODE_WRONG_AMOUNT,
    services.NOT_ACCEPTABLE: CODE_NOT_ACCEPTABLE,
    services.EXPIRED: CODE_EXPIRED,
}
USER_CANCELLED = "User has cancelled"  # what the widget reports when the customer closes it

# The widget's languages for ours.
WIDGET_LANGUAGES = {"ru": "ru-RU", "kk": "kk-KZ", "en": "en-US"}


# --- Signature (PAY-3) --------------------------------------------------------------------------------------------


def sign(body: bytes, secret: str | bytes) -> str:
    """base64(HMAC-SHA256(API secret, raw body)) — the value of Content-HMAC / X-Content-HMAC."""
    key = secret.encode() if isinstance(secret, str) else secret
    return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode("ascii")


def verify(body: bytes, header_value: str | None, secret: str | bytes) -> bool:
    """True when `header_value` is the body's signature; compared in constant time. No secret, no trust."""
    if not header_value or not secret:
        return False
    return hmac.compare_digest(sign(body, secret).encode("ascii"), header_value.strip().encode("ascii", "replace"))


def verify_request(body: bytes, headers, secret: str) -> bool:
    """Either header may carry the signature. CloudPayments computes X-Content-HMAC over the URL-decoded body in
    some setups, so that form is accepted too (it still needs the secret)."""
    if verify(body, headers.get("Content-HMAC"), secret):
        return True
    x_header = headers.get("X-Content-HMAC")
    if verify(body, x_header, secret):
        return True
    decoded = unquote_plus(body.decode("utf-8", errors="replace")).encode()
    return decoded != body and verify(decoded, x_header, secret)


# --- Declines (PAY-5) ---------------------------------------------------------------------------------------------

_INSUFFICIENT_FUNDS = {"5051"}
_EXPIRED = {"5054", "5033"}
_NOT_ALLOWED = {"5057", "5058", "5012"}
_WRONG_DATA = {"5014", "5082", "5006"}
_THREE_DS = {"5206", "5207"}


def decline_message(reason_code) -> str:
    """The bank's ReasonCode in plain words, with what the customer can do next."""
    code = str(reason_code or "").strip()
    if code in _INSUFFICIENT_FUNDS:
        return gettext("The card does not have enough money. Top it up and try again, or use another card.")
    if code in _EXPIRED:
        return gettext("The card has expired. Use another card or choose another payment method.")
    if code in _NOT_ALLOWED:
        return gettext(
            "This card is not enabled for internet payments. Allow them in your bank's app and try again, "
            "or use another card."
        )
    if code in _WRONG_DATA:
        return gettext("The card details were entered wrongly. Check the number, expiry date and CVC and try again.")
    if code in _THREE_DS:
        return gettext(
            "The bank's 3-D Secure check did not pass. Try again and confirm the payment on your bank's page, "
            "or use another card."
        )
    return gettext("The bank declined the payment. Try another card.")


# --- API answers --------------------------------------------------------------------------------------------------


def parse_status(answer) -> StatusResult:
    """The answer of POST /payments/find ({"Success", "Message", "Model": {...}}) as a StatusResult."""
    if not isinstance(answer, dict):
        return StatusResult(state=UNKNOWN, raw=str(answer)[:500])
    raw = json.dumps(answer, ensure_ascii=False, default=str)[:2000]
    model = answer.get("Model")
    if not answer.get("Success") or not isinstance(model, dict):
        # "Not found": the customer has not paid (yet); anything else we cannot read
        message = str(answer.get("Message") or "")
        return StatusResult(state=WAITING if "not found" in message.lower() else UNKNOWN, reason=message, raw=raw)
    status = str(model.get("Status") or "")
    amount = parse_amount(model.get("Amount")) if model.get("Amount") is not None else None
    common = {
        "amount": amount,
        "currency": str(model.get("Currency") or ""),
        "transaction_id": str(model.get("TransactionId") or ""),
        "raw": raw,
    }
    if status in ("Completed", "Authorized"):
        return StatusResult(state=PAID, **common)
    if status == "Declined":
        code = str(model.get("ReasonCode") or "")
        return StatusResult(state=DECLINED, reason_code=code, reason=decline_message(code), **common)
    if status in ("AwaitingAuthentication", "Pending", ""):
        return StatusResult(state=WAITING, **common)
    return StatusResult(state=UNKNOWN, reason=status, **common)


def parse_refund(answer) -> RefundResult:
    """The answer of POST /payments/refund ({"Success", "Message", "Model": {"TransactionId"}})."""
    if not isinstance(answer, dict):
        return RefundResult(ok=False, message="unreadable answer")
    model = answer.get("Model") if isinstance(answer.get("Model"), dict) else {}
    if answer.get("Success"):
        return RefundResult(ok=True, provider_refund_id=str(model.get("TransactionId") or ""))
    return RefundResult(ok=False, message=str(answer.get("Message") or "refused")[:300])


def notification_fields(body: bytes, content_type: str) -> dict[str, str]:
    """A notification's fields: form-encoded (what CloudPayments sends) or JSON (an option in its cabinet)."""
    text = body.decode("utf-8", errors="replace")
    if "json" in (content_type or "").lower() or text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return {}
        return {str(k): "" if v is None else str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return dict(parse_qsl(text, keep_blank_values=True))


# --- The adapter --------------------------------------------------------------------------------------------------


def _reply(code: int) -> JsonResponse:
    return JsonResponse({"code": code})


class CloudPayments(PaymentAdapter):
    code = "cloudpayments"
    label = _("Bank card (CloudPayments)")
    online = True
    refund_channel = RefundChannel.CARD  # REF-5: back to the card, 3 working days at the latest

    # settings are read on every call, so tests and a changed environment need no restart of the registry

    @property
    def public_id(self) -> str:
        return settings.CLOUDPAYMENTS_PUBLIC_ID

    @property
    def api_secret(self) -> str:
        return settings.CLOUDPAYMENTS_API_SECRET

    def is_available(self, *, amount, delivery_method) -> bool:
        return bool(self.public_id and self.api_secret) and amount > 0

    # Starting: the widget on our payment page ------------------------------------------------------------------

    def start(self, payment, request=None) -> Action:
        order = payment.order
        context = {
            "publicId": self.public_id,
            "description": gettext("Order %(number)s") % {"number": order.number},
            "amount": f"{payment.amount:.2f}",
            "currency": payment.currency,
            "invoiceId": payment.invoice_id,
            "accountId": order.email,
            "email": order.email,
            "language": WIDGET_LANGUAGES.get(translation.get_language() or "", "ru-RU"),
            "widget_url": settings.CLOUDPAYMENTS_WIDGET_URL,
            "result_url": reverse("payments:result", kwargs={"token": order.access_token}),
        }
        services.mark_pending(payment)
        return Action(kind="widget", template="payments/cloudpayments/widget.html", context=context)

    # Notifications (PAY-3, PAY-4) ------------------------------------------------------------------------------

    def handle_notification(self, request, kind: str) -> HttpResponse:
        kind = (kind or "").lower()
        body = request.body
        verified = verify_request(body, request.headers, self.api_secret)
        fields = notification_fields(body, request.content_type)
        payment = None

        def log(outcome: str, *, ok: bool = True):
            events.record(
                payment=payment,
                adapter=self.code,
                kind=PaymentEvent.Kind.NOTIFICATION,
                verified=verified and ok,
                outcome=f"{kind[:20]}: {outcome}",
                payload=body,
                request=request,
            )

        if not is_safe_data(fields):  # NUL or a lone surrogate: nothing to look up, but the attempt is logged
            log("refused: text the database cannot store", ok=False)
            return HttpResponse(status=400)
        payment = self._payment_for(fields)
        if not verified:
            log("signature missing or wrong: refused", ok=False)
            return HttpResponse(status=403)
        if kind not in KINDS:
            log("unknown notification kind")
            return HttpResponse(status=404)
        if payment is None:
            log("unknown invoice")
            return _reply(CODE_UNKNOWN_INVOICE)
        handler = getattr(self, f"_on_{kind}")
        code, outcome = handler(payment, fields)
        log(outcome)
        return _reply(code)

    def _payment_for(self, fields):
        payment = services.find_payment(fields.get("InvoiceId", ""))
        if payment is None and fields.get("PaymentTransactionId"):  # a Refund names the payment it refunds
            payment = (
                Payment.objects.select_related("order")
                .filter(adapter=self.code, provider_transaction_id=fields["PaymentTransactionId"][:64])
                .first()
            )
        return payment if payment is not None and payment.adapter == self.code else None

    def _on_check(self, payment, fields):
        amount = parse_amount(fields.get("Amount"))
        if amount is None:
            return CODE_WRONG_AMOUNT, "check: amount unreadable"
        if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED, PaymentStatus.CANCELLED):
            return CODE_NOT_ACCEPTABLE, f"check: attempt is {payment.status}"
        reason = services.check(payment, amount=amount, currency=fields.get("Currency", ""))
        if reason:
            return CHECK_CODES.get(reason, CODE_NOT_ACCEPTABLE), f"check refused: {reason}"
        return CODE_OK, "check: may be paid"

    def _on_pay(self, payment, fields):
        amount = parse_amount(fields.get("Amount"))
        if amount is None:
            return CODE_WRONG_AMOUNT, "pay: amount unreadable"
        outcome = services.record_success(
            payment=payment,
            amount=amount,
            currency=fields.get("Currency", ""),
            transaction_id=fields.get("TransactionId", ""),
            source="cloudpayments pay",
            card=fields.get("CardLastFour", ""),
        )
        if outcome.code == services.WRONG_AMOUNT:
            return CODE_WRONG_AMOUNT, f"pay refused: {outcome.message}"[:150]
        return CODE_OK, f"pay: {outcome.code} {outcome.message}".strip()

    def _on_fail(self, payment, fields):
        code = fields.get("ReasonCode", "")
        with translation.override(payment.order.language or settings.LANGUAGE_CODE):  # the customer reads it
            message = decline_message(code)
        outcome = services.record_decline(payment=payment, reason_code=code, message=message)
        return CODE_OK, f"fail {code}: {outcome.code}"

    def _on_refund(self, payment, fields):
        amount = parse_amount(fields.get("Amount"))
        if amount is None or amount <= 0:
            return CODE_WRONG_AMOUNT, "refund: amount unreadable"
        refund = services.record_provider_refund(
            payment=payment, amount=amount, provider_refund_id=fields.get("TransactionId", "")
        )
        return CODE_OK, f"refund {amount}: {'recorded' if refund else 'not applicable'}"

    def _on_confirm(self, payment, fields):
        # Two-stage payments only; this shop charges at once ("charge"), so there is nothing to confirm.
        return CODE_OK, "confirm: logged"

    def _on_cancel(self, payment, fields):
        return CODE_OK, "cancel: logged"

    # API calls (PAY-7) -----------------------------------------------------------------------------------------

    def _api(self, path: str, payload: dict) -> transport.Response:
        return transport.send(
            "POST",
            f"{settings.CLOUDPAYMENTS_API_URL.rstrip('/')}{path}",
            json=payload,
            basic_auth=(self.public_id, self.api_secret),
        )

    def refund(self, payment, amount: Decimal, refund) -> RefundResult:
        transaction_id = payment.provider_transaction_id
        answer = self._api(
            "/payments/refund",
            {
                "TransactionId": int(transaction_id) if transaction_id.isdigit() else transaction_id,
                # a JSON number, as the API expects; two decimals round-trip exactly through a float
                "Amount": float(to_tiyn(amount)),
            },
        )
        if answer.status >= 500 or answer.json() is None:
            # outcome unknown: raise, so the refund stays pending (services) rather than being marked failed
            raise transport.TransportError(f"refund answer HTTP {answer.status}")
        events.record(
            payment=payment,
            kind=PaymentEvent.Kind.CALL,
            verified=True,
            outcome=f"refund HTTP {answer.status}",
            payload=answer.body,
        )
        if answer.status >= 400:
            return RefundResult(ok=False, message=f"HTTP {answer.status}")
        return parse_refund(answer.json())

    def fetch_status(self, payment) -> StatusResult:
        answer = self._api("/payments/find", {"InvoiceId": payment.invoice_id})
        if answer.status != 200:
            return StatusResult(state=UNKNOWN, reason=f"HTTP {answer.status}")
        with translation.override(payment.order.language or settings.LANGUAGE_CODE):  # a decline reason is read
            return parse_status(answer.json())
