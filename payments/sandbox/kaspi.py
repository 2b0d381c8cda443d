"""Kaspi Pay sandbox (PAY-6): the QR/Pay merchant API and a stand-in for the customer's Kaspi app.

API (mounted at /payments/sandbox/kaspi/qr/, the sandbox default of ``KASPI_API_URL``), every answer HTTP 200 with
Kaspi's envelope ``{"StatusCode": 0, "Message": "", "Data": {...}}``:

- ``POST qr/remote/create`` ``{Amount, PhoneNumber, Comment, DeviceToken, OrganizationBin}`` → ``{QrPaymentId}``;
  the invoice waits ("Wait") in the app of that phone;
- ``GET qr/payment/status/<QrPaymentId>`` → ``{Status: Wait|Processed|Error, QrPaymentId, Amount,
  TransactionId (once Processed)}``;
- ``POST qr/payment/return`` ``{QrPaymentId, Amount, DeviceToken, OrganizationBin}`` → ``{ReturnOperationId}``;
  full or partial, only from Processed, never more than was paid.

Refusals (StatusCode ≠ 0): -1 "no Kaspi account" for a phone number ending in 0000 (test phone: +7 701 123 0000);
-2 a malformed request; -1501 a DeviceToken or OrganizationBin other than the shop's settings; -1601 no such
payment; -1602 a refund Kaspi would refuse (not paid, or more than is left).

The "Kaspi app" (``app/?phone=+77011234567``) lists that phone's open invoices with "Pay" and "Decline" buttons
that flip the status to Processed / Error — the shop's poller then reads it, as it would read Kaspi."""

from __future__ import annotations

import json
import re
import secrets
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from payments.policy import parse_amount

from .common import sandbox_only
from .models import SandboxTransaction

PROVIDER = "kaspi"
WAIT, PROCESSED, ERROR = "Wait", "Processed", "Error"
NO_ACCOUNT_SUFFIX = "0000"


def _envelope(data=None, *, code: int = 0, message: str = "") -> JsonResponse:
    return JsonResponse({"StatusCode": code, "Message": message, "Data": data})


def _number(amount: Decimal):
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _body(request) -> dict | None:
    try:
        body = json.loads(request.body.decode("utf-8") or "null", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _amount(value) -> Decimal | None:
    amount = parse_amount(value)
    return amount if amount is not None and amount > 0 else None


def _shop_credentials_ok(body: dict) -> bool:
    return (
        str(body.get("DeviceToken") or "") == settings.KASPI_DEVICE_TOKEN
        and str(body.get("OrganizationBin") or "") == settings.KASPI_ORGANIZATION_BIN
    )


def ten_digits(phone: str) -> str:
    """The phone as Kaspi writes it: ten digits after +7 ("" when it is not one)."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    return digits if len(digits) == 10 else ""


def _status_data(tx: SandboxTransaction) -> dict:
    data = {"Status": tx.status, "QrPaymentId": int(tx.key), "Amount": _number(tx.amount)}
    if tx.status == PROCESSED:
        data["TransactionId"] = tx.data.get("TransactionId", "")
    return data


# --- The merchant API ---------------------------------------------------------------------------------------------


@csrf_exempt
@sandbox_only
@require_POST
def remote_create(request):
    body = _body(request)
    if body is None:
        return _envelope(code=-2, message="Invalid request")
    if not _shop_credentials_ok(body):
        return _envelope(code=-1501, message="Device not found")
    phone = ten_digits(str(body.get("PhoneNumber") or ""))
    amount = _amount(body.get("Amount"))
    if not phone or amount is None:
        return _envelope(code=-2, message="PhoneNumber and a positive Amount are required")
    if phone.endswith(NO_ACCOUNT_SUFFIX):
        return _envelope(code=-1, message="Client with this phone number has no Kaspi account")
    for _attempt in range(5):
        key = str(100_000_000 + secrets.randbelow(900_000_000))
        try:
            with transaction.atomic():
                tx = SandboxTransaction.objects.create(
                    provider=PROVIDER,
                    key=key,
                    status=WAIT,
                    amount=amount,
                    currency="KZT",
                    data={"PhoneNumber": phone, "Comment": str(body.get("Comment") or "")[:200]},
                )
            break
        except IntegrityError:
            continue
    else:
        return _envelope(code=-2, message="Try again")
    return _envelope({"QrPaymentId": int(tx.key), "ExpireDate": None})


def _find(qr_payment_id) -> SandboxTransaction | None:
    key = str(qr_payment_id or "").strip()
    if not key.isdigit():
        return None
    return SandboxTransaction.objects.filter(provider=PROVIDER, key=key).first()


@sandbox_only
@require_GET
def payment_status(request, qr_payment_id):
    tx = _find(qr_payment_id)
    if tx is None:
        return _envelope(code=-1601, message="Purchase not found")
    return _envelope(_status_data(tx))


@csrf_exempt
@sandbox_only
@require_POST
def payment_return(request):
    body = _body(request)
    if body is None:
        return _envelope(code=-2, message="Invalid request")
    if not _shop_credentials_ok(body):
        return _envelope(code=-1501, message="Device not found")
    amount = _amount(body.get("Amount"))
    if amount is None:
        return _envelope(code=-2, message="A positive Amount is required")
    with transaction.atomic():
        tx = _find(body.get("QrPaymentId"))
        if tx is None:
            return _envelope(code=-1601, message="Purchase not found")
        tx = SandboxTransaction.objects.select_for_update().get(pk=tx.pk)
        if tx.status != PROCESSED:
            return _envelope(code=-1602, message="Only a processed payment can be returned")
        if amount > tx.amount - tx.refunded:
            return _envelope(code=-1602, message="Return amount exceeds the payment")
        tx.refunded += amount
        returns = [*tx.data.get("Returns", []), str(amount)]
        tx.data = {**tx.data, "Returns": returns}
        tx.save(update_fields=["refunded", "data", "updated_at"])
    return _envelope({"ReturnOperationId": int(f"{tx.key}{len(returns):02d}")})


# --- The customer's "Kaspi app" -----------------------------------------------------------------------------------


def _back(request) -> str:
    back = request.GET.get("back") or request.POST.get("back") or ""
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return ""


@sandbox_only
@require_GET
def app(request):
    """The invoices waiting in this phone's Kaspi app."""
    raw_phone = request.GET.get("phone", "")[:30]
    phone = ten_digits(raw_phone)
    invoices = (
        SandboxTransaction.objects.filter(provider=PROVIDER, status=WAIT, data__PhoneNumber=phone).order_by("-id")
        if phone
        else SandboxTransaction.objects.none()
    )
    return render(
        request,
        "payments/sandbox/kaspi/app.html",
        {
            "phone": phone,
            "raw_phone": raw_phone,
            "invoices": [{"tx": tx, "comment": tx.data.get("Comment", "")} for tx in invoices[:50]],
            "back": _back(request),
        },
    )


@sandbox_only
@require_http_methods(["POST"])
def decide(request, qr_payment_id):
    """ "Pay" or "Decline" pressed in the app: the invoice becomes Processed or Error, once."""
    decision = request.POST.get("decision", "")
    with transaction.atomic():
        tx = _find(qr_payment_id)
        if tx is not None:
            tx = SandboxTransaction.objects.select_for_update().get(pk=tx.pk)
        if tx is None or tx.status != WAIT:
            messages.error(request, _("This invoice is no longer waiting for payment."))
        elif decision == "pay":
            tx.status = PROCESSED
            tx.data = {**tx.data, "TransactionId": f"KT{tx.key}"}
            tx.save(update_fields=["status", "data", "updated_at"])
            messages.success(request, _("Paid. The shop will see it within a few seconds."))
        elif decision == "decline":
            tx.status = ERROR
            tx.save(update_fields=["status", "updated_at"])
            messages.info(request, _("Invoice declined."))
        else:
            messages.error(request, _("Choose Pay or Decline."))
    phone = ten_digits(request.POST.get("phone", "")) or (tx.data.get("PhoneNumber", "") if tx else "")
    query = {"phone": f"+7{phone}"} if phone else {}
    back = _back(request)
    if back:
        query["back"] = back
    return HttpResponseRedirect(f"{reverse('sandbox_kaspi_app')}?{urlencode(query)}")


urlpatterns = [
    path("qr/remote/create", remote_create, name="sandbox_kaspi_remote_create"),
    path("qr/payment/status/<str:qr_payment_id>", payment_status, name="sandbox_kaspi_status"),
    path("qr/payment/return", payment_return, name="sandbox_kaspi_return"),
    path("app/", app, name="sandbox_kaspi_app"),
    path("app/<str:qr_payment_id>/", decide, name="sandbox_kaspi_decide"),
]
