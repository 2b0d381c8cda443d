"""The customer's order pages (ORD-5..7): the order behind its secret link, the cancellation request, and
finding an order by number and e-mail. The cabinet's list of orders lives in accounts (it reads
`selectors.orders_of`).

The secret link is a bearer secret: whoever holds it sees the order, signed in or not (guests have no other
way in). So the page must never leak it: no caching anywhere, no Referer to other sites (the carrier's), no indexing."""

import math
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from base.ratelimit import RateLimit, client_ip

from . import policy, selectors
from .delivery.carriers import get_carrier
from .forms import CancellationRequestForm, FindOrderForm
from .fulfilment import services as fulfilment
from .models import DeliveryMethodChoice, OrderStatus
from .payment_methods import get_adapter


def secret_page(view):
    """Headers for every response that carries or leads to a secret link."""

    @wraps(view)
    @never_cache  # Cache-Control: private, no-store (and no-cache, max-age=0)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # Never to another site (the carrier's tracking page, a payment widget's host). Not "no-referrer": with it
        # Chromium posts the page's own forms with "Origin: null", which CSRF protection rightly refuses.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _order_or_404(token: str):
    order = selectors.order_by_token(token)
    if order is None:
        raise Http404(_("No order behind this link. Check that the link was copied whole."))
    return order


def _status_label(status: str) -> str:
    return OrderStatus(status).label if status in OrderStatus.values else status


@secret_page
@require_safe
def order_detail(request, token):
    order = _order_or_404(token)
    adapter = get_adapter(order.payment_method)
    history = [
        {"at": event.at, "status": event.to_status, "label": _status_label(event.to_status)}
        for event in order.history
        if event.to_status
    ]
    shipped = bool(order.tracking_number) and order.status in (
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.COMPLETED,
    )
    may_ask_to_cancel = policy.customer_may_cancel(order.status) and not order.cancellation_requested_at
    online = bool(adapter and adapter.online)
    context = {
        "order": order,
        "pay_online": online and order.paid_amount == 0 and order.status in (OrderStatus.PLACED, OrderStatus.CONFIRMED),
        "payment_instructions": adapter.instructions(order) if adapter and not online else "",
        "lines": list(order.lines.all()),
        "history": history,
        "status_label": _status_label(order.status),
        "payment_label": adapter.label if adapter else order.payment_method,
        "tracking_url": get_carrier().tracking_url(order.tracking_number) if shipped else "",
        "show_tracking": shipped,
        "manager_phone": settings.SHOP_LOGISTICS_MANAGER_PHONE
        if order.delivery_method == DeliveryMethodChoice.LOGISTICS
        else "",
        "is_pickup": order.delivery_method == DeliveryMethodChoice.PICKUP,
        "may_ask_to_cancel": may_ask_to_cancel,
        "cancel_form": CancellationRequestForm() if may_ask_to_cancel else None,
        "on_its_way": order.status == OrderStatus.SHIPPED,
        "is_closed": order.status in (OrderStatus.CANCELLED, OrderStatus.REFUSED),
        "processing_later": order.processing_from > timezone.localdate(order.placed_at),  # ORD-8
    }
    return render(request, "orders/order_detail.html", context)


@secret_page
@require_POST
def request_cancellation(request, token):
    """ORD-6: the customer asks; support decides and cancels in the admin (the order is not changed here)."""
    order = _order_or_404(token)
    form = CancellationRequestForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(order.get_absolute_url())
    try:
        fulfilment.request_cancellation(order=order, user=request.user, reason=form.cleaned_data["reason"])
    except fulfilment.TransitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request was sent; support will confirm."))
    return HttpResponseRedirect(order.get_absolute_url())


# --- Finding an order by number + e-mail (guests have no cabinet) --------------------------------------------------


# Per-IP fixed window (SHOP_ORDER_LOOKUP_RATE_LIMIT, e.g. "20/h"): guessing e-mails for a known number (or numbers
# for an e-mail) is too slow to pay.
order_lookup_rate_limit = RateLimit("orders:lookup-rate", "SHOP_ORDER_LOOKUP_RATE_LIMIT")


@secret_page
@require_http_methods(["GET", "POST"])
def find_order(request):
    if request.method == "GET":
        return render(request, "orders/find.html", {"form": FindOrderForm()})
    form = FindOrderForm(request.POST)
    if not form.is_valid():
        return render(request, "orders/find.html", {"form": form})
    if not order_lookup_rate_limit.hit(client_ip(request)):
        seconds = order_lookup_rate_limit.seconds_left()
        context = {"form": form, "rate_limited": True, "minutes": math.ceil(seconds / 60)}
        response = render(request, "orders/find.html", context, status=429)
        response["Retry-After"] = str(seconds)
        return response
    order = selectors.order_by_number_and_email(**form.cleaned_data)
    if order is None:
        # One answer for every miss: it must not tell whether the number exists or the e-mail was wrong.
        context = {"form": form, "not_found": True}
        return render(request, "orders/find.html", context)
    return HttpResponseRedirect(order.get_absolute_url())
