"""The customer's payment pages (PAY-1, PAY-5) and the providers' notification endpoint (PAY-3).

The pages hang off the order's secret link (the token is the key, as on the order page), so they carry the same
no-store / same-origin referrer / noindex headers. The notification endpoint takes raw bodies from providers: no CSRF
token (they cannot have one), authenticated by each adapter instead."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.policy import display_phone
from orders.payment_methods import available_methods, get_adapter
from orders.selectors import order_by_token
from orders.views import secret_page

from . import events, services
from .forms import KaspiPhoneForm, SwitchMethodForm
from .models import PaymentEvent, PaymentStatus

logger = logging.getLogger(__name__)


def _order_or_404(token):
    order = order_by_token(token)
    if order is None:
        raise Http404(_("No order behind this link. Check that the link was copied whole."))
    return order


def _pay_url(order) -> str:
    return reverse("payments:pay", kwargs={"token": order.access_token})


def _result_url(order) -> str:
    return reverse("payments:result", kwargs={"token": order.access_token})


def _latest(order):
    return order.payments.order_by("-id").first()


def _other_methods(order):
    return [
        adapter
        for adapter in available_methods(amount=order.total, delivery_method=order.delivery_method)
        if adapter.code != order.payment_method
    ]


def _base_context(order, adapter) -> dict:
    return {
        "order": order,
        "adapter": adapter,
        "payment_label": adapter.label if adapter else order.payment_method,
        "deadline": services.payment_deadline(order),
        "other_methods": _other_methods(order),
    }


@secret_page
@require_http_methods(["GET", "POST"])
def pay(request, token):
    """The next step for this order's method: the card widget, the bank's page, or Kaspi's phone form."""
    order = _order_or_404(token)
    adapter = get_adapter(order.payment_method)
    if adapter is None or not adapter.online:
        return HttpResponseRedirect(order.get_absolute_url())
    if order.paid_amount > 0:
        return HttpResponseRedirect(_result_url(order))
    context = _base_context(order, adapter)
    not_payable = services.order_payable(order)
    if not_payable:
        context["closed"] = True
        context["closed_message"] = (
            _("The time to pay this order has run out. Please place the order again.")
            if not_payable == services.EXPIRED
            else _("This order cannot be paid now: it is “%(status)s”.") % {"status": order.get_status_display()}
        )
        return render(request, "payments/pay.html", context, status=409 if request.method == "POST" else 200)
    phone_form = None
    if adapter.asks_phone:
        phone_form = KaspiPhoneForm(request.POST or None, initial={"phone": order.phone})
        if request.method == "POST" and phone_form.is_valid():
            return _start_and_go(request, order, phone=phone_form.cleaned_data["phone"], new=True)
        context["phone_form"] = phone_form
        return render(request, "payments/pay.html", context, status=400 if request.method == "POST" else 200)
    if request.method == "POST":  # "try again": a fresh attempt (the provider sees a new invoice)
        return _start_and_go(request, order, new=True)
    return _start_and_go(request, order, new=False, context=context)


def _start_and_go(request, order, *, phone: str = "", new: bool, context: dict | None = None):
    adapter = get_adapter(order.payment_method)
    try:
        payment = services.current_attempt(order=order, phone=phone, new=new)
        action = services.start(payment=payment, request=request)
    except services.PaymentError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(order.get_absolute_url())
    except Exception:  # the provider is down: say so, keep the order, let them retry or switch
        logger.exception("payment start failed for order %s", order.number)
        messages.error(
            request, _("The payment service does not answer right now. Try again in a minute or choose another method.")
        )
        return HttpResponseRedirect(_result_url(order))
    if action.kind == "redirect" and action.url:
        return HttpResponseRedirect(action.url)
    if action.kind == "wait":
        return HttpResponseRedirect(_result_url(order))
    context = context or _base_context(order, adapter)
    context.update({"payment": payment, "action": action})
    return render(request, "payments/pay.html", context)


@secret_page
@require_http_methods(["GET", "POST"])
def result(request, token):
    """Where every method lands: paid, declined (why, and what to do), or still waiting for the provider."""
    order = _order_or_404(token)
    adapter = get_adapter(order.payment_method)
    payment = _latest(order)
    if request.method == "POST" and payment is not None and payment.status == PaymentStatus.PENDING:
        services.check_now(payment)  # "I have paid": ask the provider now rather than at the next poll
        return HttpResponseRedirect(_result_url(order))
    if request.method == "POST":
        return HttpResponseRedirect(_result_url(order))
    context = _base_context(order, adapter)
    paid = order.paid_amount > 0
    context.update(
        {
            "payment": payment,
            "payment_phone": display_phone(payment.phone) if payment is not None and payment.phone else "",
            "paid": paid,
            "being_assembled": paid and order.status not in ("placed",),
            "declined": not paid and payment is not None and payment.status == PaymentStatus.FAILED,
            "waiting": not paid and payment is not None and payment.is_open,
            "closed": not paid and bool(services.order_payable(order)),
        }
    )
    return render(request, "payments/result.html", context)


@secret_page
@require_POST
def switch_method(request, token):
    """PAY-5 "choose another method": among those offered for this order's amount and delivery."""
    order = _order_or_404(token)
    form = SwitchMethodForm(request.POST, methods=_other_methods(order))
    if not form.is_valid():
        messages.error(request, _("Choose one of the methods offered."))
        return HttpResponseRedirect(_result_url(order))
    try:
        services.switch_method(
            order=order, code=form.cleaned_data["method"], actor=request.user if request.user.is_authenticated else None
        )
    except services.PaymentError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(_result_url(order))
    adapter = get_adapter(order.payment_method)
    if adapter.online:
        return HttpResponseRedirect(_pay_url(order))
    messages.success(request, adapter.instructions(order) or _("Payment method changed."))
    return HttpResponseRedirect(order.get_absolute_url())


@csrf_exempt
def notification(request, adapter, kind):
    """A provider's callback. Anything but POST, an unknown adapter, or an adapter's error is logged and answered
    with a 4xx — never a 500, which providers would retry for days."""
    handler = get_adapter(adapter)
    if handler is None or not handler.online:
        raise Http404("unknown payment method")
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    try:
        return handler.handle_notification(request, kind)
    except Exception:
        logger.exception("notification %s/%s failed", adapter, kind)
        events.record(
            adapter=adapter,
            kind=PaymentEvent.Kind.NOTIFICATION,
            outcome=f"error handling {kind[:40]}",
            payload=request.body,
            request=request,
        )
        return HttpResponse(status=400)
