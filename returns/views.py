"""The customer's return pages (RET-3, RET-4, item 7): an order's returns — the form and each request's timeline —
behind the order's secret link (the same bearer secret as the order page, from the cabinet or the mails); guests
find it by order number + e-mail (rate-limited, one answer for every miss). Thin: the rules are in the services."""

import math

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from base.ratelimit import RateLimit, client_ip
from base.request_limits import accepts_uploads
from orders import selectors as order_selectors
from orders.forms import FindOrderForm
from orders.views import secret_page

from . import documents, requests, timeline
from .forms import ReturnForm, TrackingForm
from .models import ReturnRequest

return_lookup_rate_limit = RateLimit("returns:lookup-rate", "SHOP_RETURN_LOOKUP_RATE_LIMIT")


def _order_or_404(token: str):
    order = order_selectors.order_by_token(token)
    if order is None:
        raise Http404(_("No order behind this link. Check that the link was copied whole."))
    return order


def _request_or_404(order, number: str) -> ReturnRequest:
    found = ReturnRequest.objects.filter(order=order, number=(number or "")[:20]).first()
    if found is None:
        raise Http404(_("No such return request."))
    return found


def order_requests(order) -> list[dict]:
    """Each request of the order with its timeline (one query for the requests, one for their lines)."""
    rows = (
        ReturnRequest.objects.filter(order=order)
        .select_related("refund", "order")
        .prefetch_related("lines__order_line", timeline.card_payments_prefetch(), timeline.exchanges_prefetch())
        .order_by("-created_at", "-id")
    )
    return [timeline.item(row) for row in rows]


def _page_url(order) -> str:
    return reverse("returns:order", kwargs={"token": order.access_token})


@accepts_uploads  # photos: up to SHOP_UPLOAD_MAX_REQUEST_BYTES (base/request_limits.py)
@secret_page
@require_http_methods(["GET", "POST"])
def order_returns(request, token):
    order = _order_or_404(token)
    lines = requests.returnable_lines(order)
    open_window = requests.may_request_return(order)
    form = None
    if open_window and any(left for _line, left, _why in lines):
        form = ReturnForm(
            request.POST or None, request.FILES or None, lines=lines, needs_iban=requests.needs_iban(order)
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                made = requests.submit_return(
                    order=order,
                    quantities=form.quantities(),
                    reason=data["reason"],
                    conditions=data["conditions"],
                    shipping=data["shipping"],
                    tracking_number=data.get("tracking_number") or "",
                    iban=data.get("iban") or "",
                    description=data.get("description") or "",
                    photos=data["photos"],
                    user=request.user if order.user_id and order.user_id == request.user.pk else None,
                    language=request.LANGUAGE_CODE,
                )
            except requests.ReturnError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Your return request %(number)s is registered; we have sent you a confirmation.")
                    % {"number": made.number},
                )
                return HttpResponseRedirect(_page_url(order))
    elif request.method == "POST":
        messages.error(request, _("This order cannot be returned any more."))
        return HttpResponseRedirect(_page_url(order))
    context = {
        "order": order,
        "form": form,
        "requests": order_requests(order),
        "open_window": open_window,
        "tracking_form": TrackingForm(),
    }
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, "returns/order_returns.html", context, status=status)


@secret_page
@require_POST
def cancel_request(request, token, number):
    order = _order_or_404(token)
    found = _request_or_404(order, number)
    try:
        requests.cancel_return(request=found, actor=request.user if request.user.is_authenticated else None)
    except requests.ReturnError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your return request %(number)s is cancelled.") % {"number": found.number})
    return HttpResponseRedirect(_page_url(order))


@secret_page
@require_POST
def parcel_sent(request, token, number):
    order = _order_or_404(token)
    found = _request_or_404(order, number)
    form = TrackingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the tracking number of the parcel."))
        return HttpResponseRedirect(_page_url(order))
    try:
        requests.mark_shipped(
            request=found,
            tracking_number=form.cleaned_data["tracking_number"],
            actor=request.user if request.user.is_authenticated else None,
            role="customer",
        )
    except requests.ReturnError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you: we are expecting your parcel."))
    return HttpResponseRedirect(_page_url(order))


@secret_page
@require_http_methods(["GET"])
def request_form_pdf(request, token, number):
    """The request's pre-filled withdrawal form (RET-4, item 2), for its owner only: an order of a customer account
    needs that customer's session besides the link (anyone else: 404, as if it did not exist); a guest's order is
    reached through the same secret link as its page."""
    order = _order_or_404(token)
    if order.user_id and order.user_id != request.user.pk:
        raise Http404(_("No such return request."))
    found = _request_or_404(order, number)
    response = HttpResponse(documents.return_request_pdf(found, language=request.LANGUAGE_CODE), documents.PDF)
    response["Content-Disposition"] = f'attachment; filename="{documents.return_request_filename(found)}"'
    return response


@secret_page
@require_http_methods(["GET", "POST"])
def find_order_to_return(request):
    """Guests: order number + e-mail → the order's returns page. Rate-limited per IP; one answer for every miss."""
    if request.method == "GET":
        return render(request, "returns/find.html", {"form": FindOrderForm()})
    form = FindOrderForm(request.POST)
    if not form.is_valid():
        return render(request, "returns/find.html", {"form": form}, status=400)
    if not return_lookup_rate_limit.hit(client_ip(request)):
        seconds = return_lookup_rate_limit.seconds_left()
        context = {"form": form, "rate_limited": True, "minutes": math.ceil(seconds / 60)}
        response = render(request, "returns/find.html", context, status=429)
        response["Retry-After"] = str(seconds)
        return response
    order = order_selectors.order_by_number_and_email(**form.cleaned_data)
    if order is None:
        return render(request, "returns/find.html", {"form": form, "not_found": True})
    return HttpResponseRedirect(_page_url(order))
