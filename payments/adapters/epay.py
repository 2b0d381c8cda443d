"""Epay by Halyk Bank (PAY-1): the bank's hosted card page, opened by its payment-api.js with an OAuth token.

The flow, in Epay's own message shapes:
1. `start` asks Epay's OAuth server for a token bound to this invoice, its amount and a `secret_hash` we make up
   and keep on the payment; the payment page then calls `halyk.pay({... auth: token})`, which takes the customer to
   the bank's page — card data are typed there, never here (PAY-2).
2. Epay calls our postLink (paid) or failurePostLink (declined) with JSON. Epay signs nothing, so a callback counts
   only if it echoes the `secret_hash` of that invoice AND — for a payment — our own status check
   (`check-status/payment/transaction/{invoiceId}`) says CHARGE or AUTH, for the amount and currency we asked
   (PAY-3). The services apply it once (PAY-4).
3. Refunds (PAY-7) go to `operation/{id}/refund?amount=...`: only from CHARGE, and not below Epay's 10 KZT.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.http import JsonResponse
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
from payments.models import MONEY_TAKEN, PaymentEvent
from payments.policy import parse_amount

logger = logging.getLogger(__name__)

CODE = "epay"
SCOPE = "webapi usermanagement email_send verification statement statistics payment"
MIN_REFUND = Decimal("10")  # KZT: Epay refuses smaller refunds
PAID_STATUSES = {"CHARGE", "AUTH"}  # AUTH: held on the card (two-step terminals), CHARGE: taken
STATUS_OK = "100"  # check-status resultCode: the transaction was found
LANGUAGES = {"ru": "rus", "kk": "kaz", "en": "eng"}


class EpayError(Exception):
    """Epay answered, but not with what we asked for (no token, an error page)."""


# --- Rules as plain functions (unit-tested without a database) ----------------------------------------------------


def secret_hash_matches(stored: str, given) -> bool:
    """PAY-3: the callback proves it comes from Epay by echoing the secret_hash we sent with the token request.
    Constant-time; an empty stored hash (never started) matches nothing."""
    if not stored or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(stored.encode(), given.encode())


# Epay's reasonCode values as its error table gives them; the reason text is matched as well, because terminals
# and card schemes word the same refusal differently. Anything else is the bank's plain "declined".
INSUFFICIENT_FUNDS, EXPIRED_CARD, NOT_FOR_INTERNET, WRONG_CARD_DATA, THREE_DS_FAILED, OTHER = (
    "insufficient_funds",
    "expired_card",
    "not_for_internet",
    "wrong_card_data",
    "3ds_failed",
    "other",
)
DECLINE_CODES = {
    "470": INSUFFICIENT_FUNDS,
    "476": INSUFFICIENT_FUNDS,
    "457": EXPIRED_CARD,
    "477": EXPIRED_CARD,
    "456": NOT_FOR_INTERNET,
    "463": NOT_FOR_INTERNET,
    "480": NOT_FOR_INTERNET,
    "455": WRONG_CARD_DATA,
    "468": WRONG_CARD_DATA,
    "469": THREE_DS_FAILED,
    "475": THREE_DS_FAILED,
}
DECLINE_WORDS = (  # (words in the reason, lower case) → kind; first match wins
    (("insufficient", "недостаточно", "not enough"), INSUFFICIENT_FUNDS),
    (("3-d secure", "3d secure", "3dsecure", "3ds", "securecode", "authentication failed"), THREE_DS_FAILED),
    (("expired", "срок действия", "истек"), EXPIRED_CARD),
    (("internet", "интернет", "not allowed", "not permitted", "запрещ"), NOT_FOR_INTERNET),
    (("cvc", "cvv", "invalid card", "incorrect card", "wrong card", "неверн", "некоррект"), WRONG_CARD_DATA),
)


def decline_kind(reason_code, reason) -> str:
    code = str(reason_code if reason_code is not None else "").strip()
    if code in DECLINE_CODES:
        return DECLINE_CODES[code]
    text = str(reason or "").lower()
    for words, kind in DECLINE_WORDS:
        if any(word in text for word in words):
            return kind
    return OTHER


def decline_message(reason_code, reason) -> str:
    """PAY-5: what the customer reads after a decline, in plain words, with what to do next."""
    kind = decline_kind(reason_code, reason)
    if kind == INSUFFICIENT_FUNDS:
        return gettext("There is not enough money on the card. Top it up or try another card.")
    if kind == EXPIRED_CARD:
        return gettext("The card has expired. Try another card.")
    if kind == NOT_FOR_INTERNET:
        return gettext(
            "This card is not enabled for internet payments. Enable them in your bank's app or try another card."
        )
    if kind == WRONG_CARD_DATA:
        return gettext("The card details were entered incorrectly. Check the number, expiry date and CVC.")
    if kind == THREE_DS_FAILED:
        return gettext("The 3-D Secure check (the code from your bank) did not pass. Try again or use another card.")
    return gettext("The bank declined the payment. Try another card.")


def wire_amount(amount: Decimal) -> str:
    """Epay takes amounts in tenge: "15990" or "15990.50"."""
    amount = to_tiyn(amount)
    return str(amount.quantize(Decimal(1))) if amount == amount.to_integral_value() else str(amount)


def json_amount(amount: Decimal) -> int | float:
    """The amount as a JSON number for halyk.pay() (its documented type); tenge have at most two decimals."""
    amount = to_tiyn(amount)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def parse_status(answer) -> StatusResult:
    """A check-status answer → StatusResult. CHARGE/AUTH = paid; FAILED (and CANCEL: the hold was released) =
    declined; NEW = still waiting; anything else (REFUND, not found, garbage) = unknown, so nothing is applied."""
    raw = json.dumps(answer, ensure_ascii=False, default=str)[:2000] if answer is not None else ""
    if not isinstance(answer, dict):
        return StatusResult(state=UNKNOWN, reason="not a JSON object", raw=raw)
    if str(answer.get("resultCode", "")) != STATUS_OK or not isinstance(answer.get("transaction"), dict):
        return StatusResult(state=UNKNOWN, reason=str(answer.get("resultMessage", ""))[:200], raw=raw)
    transaction = answer["transaction"]
    status_name = str(transaction.get("statusName", "")).upper()
    transaction_id = str(transaction.get("id") or "")
    currency = str(transaction.get("currency") or "")
    amount = parse_amount(transaction.get("amount"))
    if status_name in PAID_STATUSES:
        if amount is None or not transaction_id:
            return StatusResult(state=UNKNOWN, reason=f"{status_name} without amount or id", raw=raw)
        return StatusResult(state=PAID, amount=amount, currency=currency, transaction_id=transaction_id, raw=raw)
    if status_name in ("FAILED", "CANCEL"):
        reason_code = str(transaction.get("reasonCode") or "")
        return StatusResult(
            state=DECLINED,
            amount=amount,
            currency=currency,
            transaction_id=transaction_id,
            reason_code=reason_code or status_name,
            reason=decline_message(reason_code, transaction.get("reason")),
            raw=raw,
        )
    if status_name == "NEW":
        return StatusResult(state=WAITING, amount=amount, currency=currency, transaction_id=transaction_id, raw=raw)
    return StatusResult(state=UNKNOWN, reason=status_name or "no statusName", raw=raw)


def epay_language(language_code: str | None) -> str:
    return LANGUAGES.get((language_code or "").split("-")[0], "rus")


# --- The adapter --------------------------------------------------------------------------------------------------


class Epay(PaymentAdapter):
    code = CODE
    label = _("Bank card (Epay, Halyk Bank)")
    online = True
    refund_channel = RefundChannel.CARD  # REF-5: back to the card, 3 working days at the latest

    # PAY-1: offered only with the bank's keys set (the sandbox sets them in development and tests).
    def is_available(self, *, amount, delivery_method) -> bool:
        keys = (settings.EPAY_CLIENT_ID, settings.EPAY_CLIENT_SECRET, settings.EPAY_TERMINAL_ID)
        return all(keys) and bool(settings.EPAY_OAUTH_URL and settings.EPAY_API_URL) and amount > 0

    # --- Talking to Epay ----------------------------------------------------------------------------------------

    def _token(self, *, payment=None, **fields) -> dict:
        """An OAuth token (client credentials). With `payment`, the token is bound to that invoice (the hosted
        page); without, it is for the API (status checks, refunds)."""
        data = {
            "grant_type": "client_credentials",
            "scope": SCOPE,
            "client_id": settings.EPAY_CLIENT_ID,
            "client_secret": settings.EPAY_CLIENT_SECRET,
            **fields,
        }
        answer = transport.send("POST", settings.EPAY_OAUTH_URL, data=data)
        token = answer.json()
        ok = answer.status == 200 and isinstance(token, dict) and token.get("access_token")
        if payment is not None:
            events.record(
                payment=payment,
                kind=PaymentEvent.Kind.CALL,
                verified=True,
                outcome=f"oauth2/token: HTTP {answer.status}" + ("" if ok else " (no token)"),
                payload=data,
            )
        if not ok:
            raise EpayError(f"Epay OAuth answered HTTP {answer.status} without a token")
        return token

    def _bearer(self) -> dict:
        token = self._token()
        return {"Authorization": f"Bearer {token['access_token']}"}

    def _api_url(self, path: str) -> str:
        return f"{settings.EPAY_API_URL.rstrip('/')}/{path.lstrip('/')}"

    # --- The customer's step ------------------------------------------------------------------------------------

    def start(self, payment, request=None) -> Action:
        order = payment.order
        secret_hash = secrets.token_urlsafe(32)
        post_link = _absolute(request, reverse("payments_notify:notify", kwargs={"adapter": CODE, "kind": "post"}))
        failure_post_link = _absolute(
            request, reverse("payments_notify:notify", kwargs={"adapter": CODE, "kind": "failure"})
        )
        token = self._token(
            payment=payment,
            invoiceID=payment.invoice_id,
            secret_hash=secret_hash,
            amount=wire_amount(payment.amount),
            currency=payment.currency,
            terminal=settings.EPAY_TERMINAL_ID,
            postLink=post_link,
            failurePostLink=failure_post_link,
        )
        # The hash is what a callback must echo: kept before the customer can reach the bank's page.
        services.mark_pending(payment, secret_hash=secret_hash)
        result_link = _absolute(request, reverse("payments:result", kwargs={"token": order.access_token}))
        description = gettext("Order %(number)s") % {"number": order.number}
        payment_object = {
            "invoiceId": payment.invoice_id,
            "invoiceIdAlt": order.number,
            "backLink": result_link,
            "failureBackLink": result_link,
            "postLink": post_link,
            "failurePostLink": failure_post_link,
            "language": epay_language(translation.get_language()),
            "description": description,
            "accountId": order.email,
            "terminal": settings.EPAY_TERMINAL_ID,
            "amount": json_amount(payment.amount),
            "currency": payment.currency,
            "name": order.full_name,
            "data": json.dumps(
                {"statement": {"name": order.full_name, "invoiceID": payment.invoice_id}}, ensure_ascii=False
            ),
            "cardSave": False,
            "auth": {
                "access_token": token.get("access_token", ""),
                "expires_in": str(token.get("expires_in", "")),
                "refresh_token": token.get("refresh_token", ""),
                "scope": token.get("scope", ""),
                "token_type": token.get("token_type", "Bearer"),
            },
        }
        return Action(
            kind="widget",
            template="payments/epay/widget.html",
            context={"script_url": settings.EPAY_PAYMENT_PAGE_JS, "payment_object": payment_object},
        )

    # --- Epay's callbacks ---------------------------------------------------------------------------------------

    def handle_notification(self, request, kind: str):
        body = request.body

        def log(outcome, *, payment=None, verified=False):
            events.record(
                payment=payment,
                adapter=CODE,
                kind=PaymentEvent.Kind.NOTIFICATION,
                verified=verified,
                outcome=f"{kind[:20]}: {outcome}",
                payload=body,
                request=request,
            )

        if kind not in ("post", "failure"):
            log("unknown callback")
            return JsonResponse({"accepted": False, "error": "unknown callback"}, status=404)
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            data = None
        if not isinstance(data, dict):
            log("malformed JSON")
            return JsonResponse({"accepted": False, "error": "malformed JSON"}, status=400)
        if not is_safe_data(data):  # NUL or a lone surrogate: nothing to look up, but the attempt is logged
            log("refused: text the database cannot store")
            return JsonResponse({"accepted": False, "error": "text the database cannot store"}, status=400)
        invoice_id = str(data.get("invoiceId") or data.get("invoiceID") or "")
        payment = services.find_payment(invoice_id)
        if payment is None or payment.adapter != CODE:
            log("unknown invoice")
            return JsonResponse({"accepted": False, "error": "unknown invoice"}, status=404)
        if not secret_hash_matches(payment.secret_hash, data.get("secret_hash")):
            log("refused: secret_hash does not match", payment=payment)
            return JsonResponse({"accepted": False, "error": "forbidden"}, status=403)

        if kind == "failure" or str(data.get("code", "")).lower() != "ok":
            with translation.override(payment.order.language or settings.LANGUAGE_CODE):
                message = decline_message(data.get("reasonCode"), data.get("reason"))
            outcome = services.record_decline(
                payment=payment, reason_code=str(data.get("reasonCode", ""))[:20], message=message
            )
            log(f"declined {data.get('reasonCode', '')}: {outcome.code}", payment=payment, verified=True)
            return JsonResponse({"accepted": True, "outcome": outcome.code})

        if payment.status in MONEY_TAKEN:  # a replay: answered without asking Epay again
            log(services.DUPLICATE, payment=payment, verified=True)
            return JsonResponse({"accepted": True, "outcome": services.DUPLICATE})
        try:
            status = self.fetch_status(payment)
        except (transport.TransportError, EpayError) as error:
            log(f"status check failed ({type(error).__name__}): not applied", payment=payment, verified=True)
            return JsonResponse({"accepted": False, "error": "status check failed, send again"}, status=503)
        if status.state != PAID:
            if status.state == DECLINED:
                services.apply_status(payment, status, source="epay status")
            log(f"status check says {status.state} ({status.reason}): not paid", payment=payment, verified=True)
            return JsonResponse({"accepted": False, "error": "not confirmed by the status check"}, status=409)
        outcome = services.record_success(
            payment=payment,
            amount=status.amount,
            currency=status.currency,
            transaction_id=status.transaction_id,
            source=f"epay {data.get('reference', '')}".strip()[:60],
            card=data.get("cardMask", ""),
        )
        log(f"{outcome.code} {outcome.message}".strip(), payment=payment, verified=True)
        if outcome.code == services.WRONG_AMOUNT:
            return JsonResponse({"accepted": False, "error": "amount or currency mismatch"}, status=400)
        return JsonResponse({"accepted": True, "outcome": outcome.code})

    # --- Status and refunds -------------------------------------------------------------------------------------

    def fetch_status(self, payment) -> StatusResult:
        """Epay's own word on the invoice (`check-status`). Network trouble raises (callers decide)."""
        answer = transport.send(
            "GET",
            self._api_url(f"check-status/payment/transaction/{quote(payment.invoice_id)}"),
            headers=self._bearer(),
        )
        status = (
            parse_status(answer.json())
            if answer.status == 200
            else StatusResult(state=UNKNOWN, reason=f"HTTP {answer.status}", raw=answer.text[:2000])
        )
        events.record(
            payment=payment,
            kind=PaymentEvent.Kind.STATUS,
            verified=True,
            outcome=f"check-status: {status.state} {status.reason}".strip(),
            payload=status.raw,
        )
        return status

    def refund(self, payment, amount, refund) -> RefundResult:
        """PAY-7: full or partial, only from CHARGE and from 10 KZT (Epay's rules), refused before any call."""
        amount = Decimal(amount)
        if amount < MIN_REFUND:
            return RefundResult(
                ok=False,
                message=gettext("Epay does not refund less than %(minimum)s KZT.") % {"minimum": MIN_REFUND},
            )
        transaction_id = payment.provider_transaction_id or payment.provider_payment_id
        if not transaction_id:
            return RefundResult(ok=False, message=gettext("Epay's transaction id of this payment is not known."))
        headers = self._bearer()
        check = transport.send(
            "GET",
            self._api_url(f"check-status/payment/transaction/{quote(payment.invoice_id)}"),
            headers=headers,
        )
        answer = check.json() if check.status == 200 else None
        status_name = ""
        if isinstance(answer, dict) and isinstance(answer.get("transaction"), dict):
            status_name = str(answer["transaction"].get("statusName", "")).upper()
        if status_name != "CHARGE":
            return RefundResult(
                ok=False,
                message=gettext("Epay refunds only a charged payment; this one is “%(status)s”.")
                % {"status": status_name or gettext("unknown")},
            )
        answer = transport.send(
            "POST",
            self._api_url(f"operation/{quote(transaction_id)}/refund?amount={wire_amount(amount)}"),
            headers=headers,
        )
        body = answer.json()
        body = body if isinstance(body, dict) else {}
        if answer.status == 200 and str(body.get("code", "0")) in ("0", "", "100"):
            provider_id = str(body.get("id") or body.get("refundId") or f"{transaction_id}/{refund.pk}")
            return RefundResult(ok=True, provider_refund_id=provider_id[:64])
        message = body.get("message") or body.get("resultMessage") or f"HTTP {answer.status}"
        return RefundResult(ok=False, message=str(message)[:300])


def _absolute(request, path: str) -> str:
    """Links Epay calls or sends the customer to: built from the request (the address the customer used), or from
    SHOP_BASE_URL when there is none (a worker)."""
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.SHOP_BASE_URL}{path}"
