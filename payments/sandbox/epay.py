"""Epay sandbox (PAY-6): Halyk Bank's OAuth server, payment-api.js, hosted card page and API, faked in-process.

It speaks Epay's message shapes: `oauth2/token` issues a token bound to the invoice, amount and secret_hash;
`payment-api.js` defines `halyk.pay(params)`, which posts the customer to the hosted page; the page takes a test
card (kept here: only its mask is remembered, nothing reaches the shop), then calls the shop's postLink or
failurePostLink with Epay's JSON and sends the browser to backLink / failureBackLink. The API answers
`check-status/payment/transaction/{invoiceId}` and `operation/{id}/refund?amount=` with a Bearer token.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import uuid
from decimal import Decimal
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from payments import transport
from payments.policy import parse_amount

from .common import notify_shop, sandbox_only
from .models import SandboxTransaction

logger = logging.getLogger(__name__)

PROVIDER = "epay"
TOKEN_TTL = 1200  # seconds, as Epay's tokens
TOKEN_CACHE = "payments-sandbox:epay:token:"  # noqa: S105 (a cache key prefix, not a secret)
MIN_REFUND = Decimal("10")
LANGUAGES = {"rus": "ru", "kaz": "kk", "eng": "en"}

SUCCESS_CARD = "4405645000006150"
# Test cards: number → (reasonCode, reason) of the bank's refusal; None = paid. Any other card number is declined
# by "the issuer" without a reason the shop can explain (the generic message).
TEST_CARDS = {
    SUCCESS_CARD: None,
    "4405645000000051": ("470", "Insufficient funds"),
    "4405645000000054": ("457", "Card expired"),
    "4405645000000057": ("456", "Card is not allowed for internet payments"),
    "4405645000000069": ("469", "3-D Secure authentication failed"),
}
OTHER_CARD_DECLINE = ("454", "Declined by the issuing bank")
CARD_LIST = (
    (SUCCESS_CARD, _("paid")),
    ("4405645000000051", _("declined: insufficient funds")),
    ("4405645000000054", _("declined: card expired")),
    ("4405645000000057", _("declined: card not allowed for internet payments")),
    ("4405645000000069", _("declined: 3-D Secure failed")),
)


# --- OAuth --------------------------------------------------------------------------------------------------------


def _error(status: int, error: str, description: str = "") -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description}, status=status)


def _same(a: str, b: str) -> bool:
    return bool(a) and hmac.compare_digest(str(a).encode(), str(b).encode())


@csrf_exempt
@sandbox_only
@require_POST
def token(request):
    """POST oauth2/token (form): client credentials; with invoiceID etc. the token opens that invoice's page."""
    form = request.POST
    if form.get("grant_type") != "client_credentials":
        return _error(400, "unsupported_grant_type")
    if not (
        _same(form.get("client_id", ""), settings.EPAY_CLIENT_ID)
        and _same(form.get("client_secret", ""), settings.EPAY_CLIENT_SECRET)
    ):
        return _error(401, "invalid_client", "unknown client or wrong secret")
    access_token = secrets.token_hex(16).upper()
    invoice_id = form.get("invoiceID", "")
    if invoice_id:
        problem = _open_invoice(form, access_token)
        if problem:
            return _error(400, "invalid_request", problem)
    cache.set(TOKEN_CACHE + access_token, {"invoice_id": invoice_id}, TOKEN_TTL)
    return JsonResponse(
        {
            "access_token": access_token,
            "expires_in": str(TOKEN_TTL),
            "refresh_token": "",
            "scope": form.get("scope", ""),
            "token_type": "Bearer",
        }
    )


@transaction.atomic
def _open_invoice(form, access_token: str) -> str:
    """Remember the invoice the token is for: "" when fine, else what is wrong with the request."""
    invoice_id = form.get("invoiceID", "")
    if not (invoice_id.isdigit() and 6 <= len(invoice_id) <= 15):
        return "invoiceID must be 6-15 digits"
    amount = parse_amount(form.get("amount"))
    if amount is None or amount <= 0:
        return "amount must be a positive number"
    if not _same(form.get("terminal", ""), settings.EPAY_TERMINAL_ID):
        return "unknown terminal"
    for name in ("secret_hash", "postLink", "failurePostLink", "currency"):
        if not form.get(name):
            return f"{name} is required"
    known = SandboxTransaction.objects.select_for_update().filter(provider=PROVIDER, invoice_id=invoice_id).first()
    if known is not None and known.status != "NEW":
        return f"invoice {invoice_id} is already {known.status}"
    data = {
        "access_token": access_token,
        "secret_hash": form["secret_hash"],
        "postLink": form["postLink"],
        "failurePostLink": form["failurePostLink"],
        "terminal": form["terminal"],
    }
    if known is None:
        SandboxTransaction.objects.create(
            provider=PROVIDER,
            key=str(uuid.uuid4()),
            invoice_id=invoice_id,
            status="NEW",
            amount=amount,
            currency=form["currency"],
            data=data,
        )
    else:
        known.amount, known.currency, known.data = amount, form["currency"], {**known.data, **data}
        known.save(update_fields=["amount", "currency", "data", "updated_at"])
    return ""


def _bearer_ok(request) -> bool:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return False
    return cache.get(TOKEN_CACHE + header.removeprefix("Bearer ").strip()) is not None


# --- payment-api.js and the hosted page ---------------------------------------------------------------------------


@sandbox_only
@require_GET
def payment_api_js(request):
    """The stand-in for Epay's payment-api.js (the script lives in static/js/sandbox-epay.js)."""
    found = finders.find("js/sandbox-epay.js")
    if not found:
        raise Http404("sandbox-epay.js is missing")
    with open(found, encoding="utf-8") as script:
        return HttpResponse(script.read(), content_type="text/javascript; charset=utf-8")


class CardForm(forms.Form):
    number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        widget=forms.TextInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
    )
    expiry = forms.CharField(
        label=_("Valid thru (MM/YY)"),
        max_length=5,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "inputmode": "numeric", "placeholder": "MM/YY"}),
    )
    cvc = forms.CharField(
        label=_("CVC"),
        max_length=4,
        widget=forms.PasswordInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )

    def clean_number(self):
        digits = "".join(ch for ch in self.cleaned_data["number"] if ch.isdigit())
        if len(digits) != 16:
            raise forms.ValidationError(_("Enter the 16 digits of the card number."))
        return digits

    def clean_expiry(self):
        value = self.cleaned_data["expiry"].strip()
        month, _slash, year = value.partition("/")
        if not (month.isdigit() and year.isdigit() and 1 <= int(month) <= 12 and len(year) == 2):
            raise forms.ValidationError(_("Enter the expiry date as MM/YY."))
        return int(month), 2000 + int(year)

    def clean_cvc(self):
        value = self.cleaned_data["cvc"].strip()
        if not (value.isdigit() and len(value) == 3):
            raise forms.ValidationError(_("Enter the 3 digits from the back of the card."))
        return value


def _safe_link(request, link: str) -> str:
    """Back links come from the browser: follow them only to the shop's own host."""
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return link
    return "/"


@csrf_exempt  # the shop's page posts here, as to the bank's server: it cannot hold our CSRF token
@sandbox_only
@require_POST
def hosted_page_entry(request):
    """Where `halyk.pay(params)` sends the browser: check the token against the invoice, then show the card form."""
    params = request.POST
    known = SandboxTransaction.objects.filter(provider=PROVIDER, invoice_id=params.get("invoiceId", "")).first()
    if known is None or not _same(params.get("auth", ""), known.data.get("access_token", "")):
        return render(request, "payments/sandbox/epay/invalid.html", status=400)
    if parse_amount(params.get("amount")) != known.amount or params.get("currency", known.currency) != known.currency:
        return render(request, "payments/sandbox/epay/invalid.html", status=400)
    known.data.update(
        {
            "backLink": _safe_link(request, params.get("backLink", "")),
            "failureBackLink": _safe_link(request, params.get("failureBackLink", "") or params.get("backLink", "")),
            "invoiceIdAlt": params.get("invoiceIdAlt", "")[:40],
            "description": params.get("description", "")[:200],
            "accountId": params.get("accountId", "")[:100],
            "name": params.get("name", "")[:150],
            "language": params.get("language", "rus")[:3],
            "data": params.get("data", "")[:1000],
        }
    )
    known.save(update_fields=["data", "updated_at"])
    return HttpResponseRedirect(reverse("sandbox_epay_card", kwargs={"key": known.key}), status=303)


@sandbox_only
@require_http_methods(["GET", "POST"])
def card_page(request, key):
    """The bank's card form. The card decides the outcome (TEST_CARDS); the shop hears it through its links."""
    known = SandboxTransaction.objects.filter(provider=PROVIDER, key=key).first()
    if known is None or "backLink" not in known.data:
        return render(request, "payments/sandbox/epay/invalid.html", status=404)
    with translation.override(LANGUAGES.get(known.data.get("language"), settings.LANGUAGE_CODE)):
        if known.status != "NEW":
            link = known.data["backLink"] if known.status == "CHARGE" else known.data["failureBackLink"]
            return HttpResponseRedirect(link)
        form = CardForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            return _pay(known, form.cleaned_data)
        context = {
            "tx": known,
            "form": form,
            "cards": [(" ".join(n[i : i + 4] for i in range(0, 16, 4)), label) for n, label in CARD_LIST],
            "language": translation.get_language(),
        }
        return render(
            request, "payments/sandbox/epay/page.html", context, status=400 if request.method == "POST" else 200
        )


def _pay(known: SandboxTransaction, card: dict) -> HttpResponse:
    number = card["number"]
    month, year = card["expiry"]
    today = timezone.localdate()
    decline = TEST_CARDS.get(number, OTHER_CARD_DECLINE)
    if (year, month) < (today.year, today.month):
        decline = ("457", "Card expired")
    now = timezone.now()
    with transaction.atomic():
        locked = SandboxTransaction.objects.select_for_update().get(pk=known.pk)
        if locked.status != "NEW":  # a double submit: the first one decided
            return HttpResponseRedirect(locked.data["backLink"])
        locked.status = "CHARGE" if decline is None else "FAILED"
        locked.data.update(
            {
                "cardMask": f"{number[:6]}******{number[-4:]}",
                "reference": f"{secrets.randbelow(10**12):012d}",
                "approvalCode": f"{secrets.randbelow(10**6):06d}" if decline is None else "",
                "reasonCode": "0" if decline is None else decline[0],
                "reason": "success" if decline is None else decline[1],
                "dateTime": now.isoformat(),
            }
        )
        locked.save(update_fields=["status", "data", "updated_at"])
    payload = callback_payload(locked)
    link = locked.data["postLink"] if decline is None else locked.data["failurePostLink"]
    _notify(link, payload)
    return HttpResponseRedirect(locked.data["backLink"] if decline is None else locked.data["failureBackLink"])


def callback_payload(tx: SandboxTransaction) -> dict:
    """The JSON Epay posts to postLink / failurePostLink."""
    d = tx.data
    paid = tx.status == "CHARGE"
    return {
        "id": tx.key,
        "dateTime": d.get("dateTime", ""),
        "invoiceId": tx.invoice_id,
        "invoiceIdAlt": d.get("invoiceIdAlt", ""),
        "amount": _number(tx.amount),
        "currency": tx.currency,
        "terminal": d.get("terminal", ""),
        "accountId": d.get("accountId", ""),
        "description": d.get("description", ""),
        "language": d.get("language", "rus"),
        "cardMask": d.get("cardMask", ""),
        "cardType": "VISA",
        "issuer": "HALYK BANK",
        "reference": d.get("reference", ""),
        "secure": "yes",
        "tokenRecipient": "",
        "code": "ok" if paid else "error",
        "reason": d.get("reason", ""),
        "reasonCode": d.get("reasonCode", ""),
        "name": d.get("name", ""),
        "email": d.get("accountId", ""),
        "phone": "",
        "cardId": "",
        "approvalCode": d.get("approvalCode", ""),
        "secret_hash": d.get("secret_hash", ""),
    }


def _notify(link: str, payload: dict) -> None:
    """Call the shop's postLink in-process: it is an absolute URL on the shop's host, so only its path is used."""
    parts = urlsplit(link)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        answer = notify_shop(target, json=payload)
        logger.info("epay sandbox notified %s: HTTP %s", target, answer.status)
    except transport.TransportError:
        logger.warning("epay sandbox could not notify %s", target)


def _number(amount: Decimal):
    return int(amount) if amount == amount.to_integral_value() else float(amount)


# --- The API ------------------------------------------------------------------------------------------------------


def _transaction_json(tx: SandboxTransaction) -> dict:
    d = tx.data
    return {
        "id": tx.key,
        "createdDate": tx.created_at.isoformat(),
        "invoiceID": tx.invoice_id,
        "amount": _number(tx.amount),
        "amountBonus": 0,
        "payoutAmount": _number(tx.amount - tx.refunded),
        "orgAmount": _number(tx.amount),
        "approvalCode": d.get("approvalCode", ""),
        "data": d.get("data", ""),
        "currency": tx.currency,
        "terminal": d.get("terminal", ""),
        "accountID": d.get("accountId", ""),
        "description": d.get("description", ""),
        "language": d.get("language", "rus"),
        "cardMask": d.get("cardMask", ""),
        "cardType": "VISA" if d.get("cardMask") else "",
        "issuer": "HALYK BANK" if d.get("cardMask") else "",
        "reference": d.get("reference", ""),
        "reason": d.get("reason", ""),
        "reasonCode": d.get("reasonCode", ""),
        "intReference": "",
        "secure": "Yes" if d.get("cardMask") else "",
        "secureDetails": "",
        "statusID": "",
        "statusName": tx.status,
    }


@sandbox_only
@require_GET
def check_status(request, invoice_id):
    if not _bearer_ok(request):
        return JsonResponse({"code": 401, "message": "unauthorized"}, status=401)
    tx = SandboxTransaction.objects.filter(provider=PROVIDER, invoice_id=invoice_id).order_by("-id").first()
    if tx is None:
        return JsonResponse({"resultCode": "102", "resultMessage": "transaction not found"})
    return JsonResponse({"resultCode": "100", "resultMessage": "Success", "transaction": _transaction_json(tx)})


@csrf_exempt
@sandbox_only
@require_POST
def refund(request, key):
    """operation/{id}/refund?amount=: partial or full, only from CHARGE; REFUND once nothing is left."""
    if not _bearer_ok(request):
        return JsonResponse({"code": 401, "message": "unauthorized"}, status=401)
    with transaction.atomic():
        tx = SandboxTransaction.objects.select_for_update().filter(provider=PROVIDER, key=key).first()
        if tx is None:
            return JsonResponse({"code": 404, "message": "transaction not found"}, status=404)
        if tx.status != "CHARGE":
            return JsonResponse(
                {"code": 1, "message": f"refund is possible only from CHARGE, not {tx.status}"}, status=400
            )
        left = tx.amount - tx.refunded
        amount = parse_amount(request.GET["amount"]) if request.GET.get("amount") else left
        if amount is None or amount <= 0 or amount > left:
            return JsonResponse(
                {"code": 2, "message": f"refund amount must be between {MIN_REFUND} and {left}"}, status=400
            )
        if amount < MIN_REFUND:
            return JsonResponse({"code": 3, "message": f"the smallest refund is {MIN_REFUND} KZT"}, status=400)
        tx.refunded += amount
        tx.data.setdefault("refunds", []).append({"amount": str(amount), "at": timezone.now().isoformat()})
        if tx.refunded >= tx.amount:
            tx.status = "REFUND"
        tx.save(update_fields=["refunded", "status", "data", "updated_at"])
    return HttpResponse(status=200)


urlpatterns = [
    path("oauth2/token", token, name="sandbox_epay_token"),
    path("payment-api.js", payment_api_js, name="sandbox_epay_js"),
    path("pay/", hosted_page_entry, name="sandbox_epay_pay"),
    path("pay/<str:key>/", card_page, name="sandbox_epay_card"),
    path("api/check-status/payment/transaction/<str:invoice_id>", check_status, name="sandbox_epay_status"),
    path("api/operation/<str:key>/refund", refund, name="sandbox_epay_refund"),
]
