"""Sandbox CloudPayments (PAY-6): a stand-in for the card widget, the issuer's 3-D Secure page and the API.

The widget stand-in (`widget.js`) opens our card form in a modal frame, as the real widget does. The form takes the
card number, expiry and CVC — they stay here: only the first six and last four digits go into the fake gateway's
memory and the notifications, exactly the fields CloudPayments sends. Then it calls the shop like the provider:
a signed Check first (a refusal ends the attempt), then a signed Pay or Fail. The API answers /payments/refund
(and posts the Refund notification, like the provider) and /payments/find."""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from datetime import UTC
from decimal import Decimal
from urllib.parse import urlencode

from csp.constants import SELF
from csp.decorators import csp_replace
from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from base.money import to_tiyn
from payments.adapters.cloudpayments import decline_message, parse_amount, sign

from .common import notify_shop, sandbox_only
from .models import SandboxTransaction

PROVIDER = "cloudpayments"
SUCCESS, THREE_DS, DECLINE = "success", "3ds", "decline"
AWAITING_3DS = "AwaitingAuth"  # "AwaitingAuthentication" in the API: the status column holds 20 characters

# The test cards shown on the form: number → (what happens, ReasonCode, Reason as CloudPayments names it).
TEST_CARDS = {
    "4242424242424242": (SUCCESS, "", "Approved"),
    "4000000000003220": (THREE_DS, "", "Approved"),
    "4000000000005051": (DECLINE, "5051", "InsufficientFunds"),
    "4000000000005054": (DECLINE, "5054", "ExpiredCard"),
    "4000000000005057": (DECLINE, "5057", "TransactionNotPermitted"),
    "4000000000005014": (DECLINE, "5014", "InvalidCardNumber"),
}
CARD_HINTS = [
    ("4242 4242 4242 4242", gettext_lazy("paid")),
    ("4000 0000 0000 3220", gettext_lazy("asks for 3-D Secure: confirm or fail it on the bank's page")),
    ("4000 0000 0000 5051", gettext_lazy("declined: insufficient funds (5051)")),
    ("4000 0000 0000 5054", gettext_lazy("declined: card expired (5054)")),
    ("4000 0000 0000 5057", gettext_lazy("declined: not allowed for internet payments (5057)")),
    ("4000 0000 0000 5014", gettext_lazy("declined: card data wrong (5014)")),
]
THREE_DS_FAILED = ("5206", "AuthenticationFailed")
OPTION_FIELDS = ("publicId", "description", "amount", "currency", "invoiceId", "accountId", "email", "language")
LANGUAGES = {"ru": "ru", "kk": "kk", "en": "en"}


# --- The widget stand-in --------------------------------------------------------------------------------------------


@sandbox_only
def widget_js(request):
    """What `CLOUDPAYMENTS_WIDGET_URL` loads in the sandbox: `window.cp.CloudPayments` (static/js)."""
    found = finders.find("js/sandbox-cloudpayments.js")
    if not found:
        raise Http404("sandbox widget script missing")
    with open(found, encoding="utf-8") as script:
        return HttpResponse(
            script.read(), content_type="text/javascript; charset=utf-8", headers={"Cache-Control": "no-store"}
        )


class CardForm(forms.Form):
    card_number = forms.CharField(
        label=gettext_lazy("Card number"),
        max_length=23,
        widget=forms.TextInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric", "autofocus": True}),
    )
    expiry = forms.CharField(
        label=gettext_lazy("Expiry (MM/YY)"),
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "inputmode": "numeric", "placeholder": "12/30"}),
    )
    cvc = forms.CharField(
        label=gettext_lazy("CVC"),
        max_length=4,
        widget=forms.PasswordInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )

    def clean_card_number(self):
        digits = re.sub(r"[\s-]", "", self.cleaned_data["card_number"])
        if not digits.isdigit() or not 13 <= len(digits) <= 19:
            raise forms.ValidationError(_("Enter the 13–19 digits of the card number."))
        if digits not in TEST_CARDS and not _luhn_ok(digits):
            raise forms.ValidationError(_("This card number is not valid: check the digits."))
        return digits

    def clean_expiry(self):
        match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", self.cleaned_data["expiry"])
        if not match or not 1 <= int(match.group(1)) <= 12:
            raise forms.ValidationError(_("Enter the expiry date as MM/YY."))
        month, year = int(match.group(1)), int(match.group(2)[-2:]) + 2000
        today = timezone.localdate()
        if (year, month) < (today.year, today.month):
            raise forms.ValidationError(_("This card has expired."))
        return f"{month:02d}/{year % 100:02d}"

    def clean_cvc(self):
        cvc = self.cleaned_data["cvc"].strip()
        if not re.fullmatch(r"\d{3,4}", cvc):
            raise forms.ValidationError(_("Enter the 3 or 4 digits on the back of the card."))
        return cvc


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _options(data) -> tuple[dict, str]:
    """The widget's options (from the frame's URL or the form's hidden fields), and what is wrong with them."""
    options = {name: str(data.get(name, ""))[:200] for name in OPTION_FIELDS}
    if not options["publicId"] or not constant_time_compare(options["publicId"], settings.CLOUDPAYMENTS_PUBLIC_ID):
        return options, _("Unknown publicId: this site's public ID is not the one the sandbox knows.")
    amount = parse_amount(options["amount"])
    if amount is None or amount <= 0 or not options["invoiceId"] or options["currency"] not in ("KZT", "RUB", "USD"):
        return options, _("The widget was opened without a valid amount, currency or invoice.")
    options["amount"] = f"{amount:.2f}"
    return options, ""


def _language(options) -> str:
    return LANGUAGES.get((options.get("language") or "ru")[:2].lower(), "ru")


@sandbox_only
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})  # shown inside the widget's frame on our payment page
@require_http_methods(["GET", "POST"])
def card_form(request):
    """The card form inside the widget's frame (GET: empty; POST: Check, then charge or the 3-D Secure page)."""
    options, problem = _options(request.POST if request.method == "POST" else request.GET)
    with translation.override(_language(options)):
        if problem:
            return render(request, "payments/sandbox/cloudpayments/form.html", {"problem": problem}, status=400)
        form = CardForm(request.POST if request.method == "POST" else None)
        if request.method == "GET" or not form.is_valid():
            for name in form.errors:
                if name in form.fields:
                    form.fields[name].widget.attrs["aria-describedby"] = f"{form[name].auto_id}-error"
            return render(
                request,
                "payments/sandbox/cloudpayments/form.html",
                {"form": form, "options": options, "cards": CARD_HINTS},
                status=400 if request.method == "POST" else 200,
            )
        return _pay_with_card(request, options, form.cleaned_data["card_number"])


def _pay_with_card(request, options: dict, number: str):
    behaviour, code, reason = TEST_CARDS.get(number, (SUCCESS, "", "Approved"))
    card = {"first_six": number[:6], "last_four": number[-4:], "type": _card_type(number)}
    transaction_id = _new_id()
    # the shop may refuse before any money moves (order cancelled, expired, amount changed)
    check_code, problem = _notify("check", _fields(options, card, transaction_id, status="Completed"))
    if check_code != 0:
        return _done(
            request,
            options,
            success=False,
            code=str(check_code),
            message=problem
            or _("The shop did not accept this payment (code %(code)s). No money was taken.") % {"code": check_code},
        )
    tx = SandboxTransaction.objects.create(
        provider=PROVIDER,
        key=transaction_id,
        invoice_id=options["invoiceId"],
        status=AWAITING_3DS if behaviour == THREE_DS else "Pending",
        amount=Decimal(options["amount"]),
        currency=options["currency"],
        data={"options": options, "card": card, "refunds": []},
    )
    if behaviour == THREE_DS:
        return render(request, "payments/sandbox/cloudpayments/bank.html", {"tx": tx, "options": options, "card": card})
    return _charge(request, tx, decline=(code, reason) if behaviour == DECLINE else None)


@sandbox_only
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})  # shown inside the widget's frame on our payment page
@require_POST
def three_ds(request, key):
    """The issuer's 3-D Secure page answered: Confirm charges the card, Fail declines it with 5206."""
    with transaction.atomic():
        tx = SandboxTransaction.objects.select_for_update().filter(provider=PROVIDER, key=key).first()
        if tx is None:
            raise Http404("no such sandbox transaction")
        waiting = tx.status == AWAITING_3DS
        if waiting:
            tx.status = "Pending"
            tx.save(update_fields=["status", "updated_at"])
    options = tx.data.get("options", {})
    with translation.override(_language(options)):
        if not waiting:  # a second press: show what happened the first time, send nothing again
            return _done(request, options, success=tx.status == "Completed", code=tx.data.get("reason_code", ""))
        return _charge(request, tx, decline=None if request.POST.get("action") == "confirm" else THREE_DS_FAILED)


def _charge(request, tx: SandboxTransaction, *, decline):
    options, card = tx.data["options"], tx.data["card"]
    fields = _fields(options, card, tx.key, status="Declined" if decline else "Completed")
    if decline:
        code, reason = decline
        tx.status = "Declined"
        tx.data["reason_code"] = code
        tx.save(update_fields=["status", "data", "updated_at"])
        fields.update({"Reason": reason, "ReasonCode": code})
        _notify("fail", fields)
        return _done(request, options, success=False, code=code, message=decline_message(code))
    tx.status = "Completed"
    tx.save(update_fields=["status", "updated_at"])
    pay_code, problem = _notify("pay", fields)
    tx.data["pay_answer"] = pay_code
    tx.save(update_fields=["data", "updated_at"])
    return _done(request, options, success=True, message=problem)


def _done(request, options, *, success: bool, code: str = "", message: str = ""):
    """The widget's last screen; its script tells the page that opened the widget how it ended."""
    return render(
        request,
        "payments/sandbox/cloudpayments/done.html",
        {"options": options, "success": success, "code": code, "message": message},
    )


def _fields(options: dict, card: dict, transaction_id: str, *, status: str) -> dict:
    """A payment notification's fields, named and shaped as CloudPayments sends them (no expiry, no number)."""
    return {
        "TransactionId": transaction_id,
        "Amount": options["amount"],
        "Currency": options["currency"],
        "PaymentAmount": options["amount"],
        "PaymentCurrency": options["currency"],
        "InvoiceId": options["invoiceId"],
        "AccountId": options["accountId"],
        "Email": options["email"],
        "Description": options["description"],
        "DateTime": timezone.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "CardFirstSix": card["first_six"],
        "CardLastFour": card["last_four"],
        "CardType": card["type"],
        "Status": status,
        "OperationType": "Payment",
        "TestMode": "1",
    }


def _notify(kind: str, fields: dict) -> tuple[int | None, str]:
    """POST a signed notification to the shop as CloudPayments does; (its reply code, a problem to show)."""
    body = urlencode(fields).encode()
    signature = sign(body, settings.CLOUDPAYMENTS_API_SECRET)
    answer = notify_shop(
        reverse("payments_notify:notify", kwargs={"adapter": "cloudpayments", "kind": kind}),
        body=body,
        content_type="application/x-www-form-urlencoded",
        headers={"Content-HMAC": signature, "X-Content-HMAC": signature},
    )
    reply = answer.json() if answer.status == 200 else None
    if not isinstance(reply, dict) or not isinstance(reply.get("code"), int):
        return None, _("The shop answered the %(kind)s notification with HTTP %(status)s.") % {
            "kind": kind.title(),
            "status": answer.status,
        }
    return reply["code"], ""


def _card_type(number: str) -> str:
    if number.startswith("4"):
        return "Visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "MasterCard"
    return "Unknown"


def _new_id() -> str:
    """CloudPayments transaction ids are integers."""
    while True:
        candidate = str(secrets.randbelow(9 * 10**9) + 10**9)
        if not SandboxTransaction.objects.filter(provider=PROVIDER, key=candidate).exists():
            return candidate


# --- The API (Basic auth: public ID and API secret) ---------------------------------------------------------------


def _authorised(request) -> bool:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return False
    try:
        user, _sep, password = base64.b64decode(header[6:], validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return constant_time_compare(user, settings.CLOUDPAYMENTS_PUBLIC_ID) and constant_time_compare(
        password, settings.CLOUDPAYMENTS_API_SECRET
    )


def _api_request(request) -> dict | None:
    try:
        data = json.loads(request.body.decode("utf-8") or "{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _api_refused(message: str) -> JsonResponse:
    return JsonResponse({"Success": False, "Message": message, "Model": None})


@csrf_exempt
@sandbox_only
@require_POST
def api_refund(request):
    """POST /payments/refund {"TransactionId", "Amount"}: full or partial, never beyond what was paid."""
    if not _authorised(request):
        return JsonResponse({"Success": False, "Message": "Authentication failed"}, status=401)
    data = _api_request(request)
    if data is None:
        return _api_refused("Invalid request")
    amount = parse_amount(data.get("Amount"))
    if amount is None or amount <= 0:
        return _api_refused("Invalid amount")
    amount = to_tiyn(amount)
    refund_id = _new_id()
    with transaction.atomic():
        tx = (
            SandboxTransaction.objects.select_for_update()
            .filter(provider=PROVIDER, key=str(data.get("TransactionId", "")))
            .first()
        )
        if tx is None:
            return _api_refused("Transaction not found")
        if tx.status not in ("Completed", "Refunded"):
            return _api_refused(f"Transaction status is {tx.status}")
        if amount > tx.amount - tx.refunded:
            return _api_refused("Refund amount exceeds the remaining amount")
        tx.refunded += amount
        tx.status = "Refunded" if tx.refunded >= tx.amount else "Completed"
        tx.data.setdefault("refunds", []).append({"TransactionId": refund_id, "Amount": f"{amount:.2f}"})
        tx.save(update_fields=["refunded", "status", "data", "updated_at"])
    options = tx.data.get("options", {})
    # like the provider, the refund is also announced by a Refund notification
    _notify(
        "refund",
        {
            "TransactionId": refund_id,
            "PaymentTransactionId": tx.key,
            "Amount": f"{amount:.2f}",
            "DateTime": timezone.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "OperationType": "Refund",
            "InvoiceId": tx.invoice_id,
            "AccountId": options.get("accountId", ""),
            "Email": options.get("email", ""),
            "TestMode": "1",
        },
    )
    return JsonResponse({"Success": True, "Message": None, "Model": {"TransactionId": int(refund_id)}})


@csrf_exempt
@sandbox_only
@require_POST
def api_find(request):
    """POST /payments/find {"InvoiceId"}: the invoice's latest transaction."""
    if not _authorised(request):
        return JsonResponse({"Success": False, "Message": "Authentication failed"}, status=401)
    data = _api_request(request)
    if data is None:
        return _api_refused("Invalid request")
    tx = (
        SandboxTransaction.objects.filter(provider=PROVIDER, invoice_id=str(data.get("InvoiceId", ""))[:20])
        .order_by("-id")
        .first()
    )
    if tx is None:
        return _api_refused("Not found")
    code = tx.data.get("reason_code", "")
    model = {
        "TransactionId": int(tx.key),
        "Amount": float(tx.amount),
        "Currency": tx.currency,
        "InvoiceId": tx.invoice_id,
        "Status": {AWAITING_3DS: "AwaitingAuthentication", "Refunded": "Completed"}.get(tx.status, tx.status),
        "ReasonCode": int(code) if code else 0,
        "Reason": "Approved" if not code else "Declined",
        "CardFirstSix": tx.data.get("card", {}).get("first_six", ""),
        "CardLastFour": tx.data.get("card", {}).get("last_four", ""),
        "TestMode": True,
    }
    return JsonResponse({"Success": True, "Message": None, "Model": model})


urlpatterns = [
    path("widget.js", widget_js, name="sandbox_cloudpayments_widget"),
    path("form/", card_form, name="sandbox_cloudpayments_form"),
    path("3ds/<str:key>/", three_ds, name="sandbox_cloudpayments_3ds"),
    path("api/payments/refund", api_refund, name="sandbox_cloudpayments_refund"),
    path("api/payments/find", api_find, name="sandbox_cloudpayments_find"),
]
