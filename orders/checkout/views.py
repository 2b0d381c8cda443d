"""Checkout pages (ORD-2, CPN-1..2, DLV-1..4): the checkout form, its live delivery quote and the coupon slot.

One form, four buttons, all working without JavaScript. Every button of the page submits the whole form to
`checkout`, so nothing typed is lost, and `action` says what to do:

- ``recalculate`` (also the default, e.g. Enter in a text field): re-render with the delivery options, costs, ETA,
  payment methods and total for the chosen city and method;
- ``apply_coupon`` / ``remove_coupon`` (or ``remove_discount``, whatever the slot holds): fill or empty the
  order's one discount slot (CPN-2, `checkout.discounts`), kept in the session under ``checkout_discount`` as
  ``{"kind": "coupon", "code": ...}``; a second discount is refused until the first is removed. The page asks
  every registered discount source (`orders.discount_sources`) what it would give and names the better one when
  more than one offers something;
- ``confirm``: validate, then `orders.checkout.services.place_order`, which recomputes everything under row locks and
  refuses when the total differs from the hidden ``expected_total`` the shopper saw; its `CheckoutError` is
  shown on the field it names and nothing is saved. On success the slot is emptied and the shopper goes to the
  order's secret link with a "placed" message (or to the payment provider when the adapter asks for a redirect).

`coupon` (POST /checkout/coupon/, ``action`` = apply | remove, ``coupon_code``) is the same slot as a small
endpoint that redirects back to the checkout (PRG), for links and forms outside the checkout page.
`quote` (GET /checkout/quote/?city=<id>&method=<code>) returns the delivery, payment and summary parts of the page
that static/js/checkout.js swaps in when the city or method changes; a malformed query answers 400.

Whatever the cart holds, the page costs a fixed number of queries: the lines come in one query with their
variants and products, and every other read is per page, not per line."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.signup import request_language
from base.ratelimit import client_ip
from base.request_text import clean_text
from shop.selectors import current_terms_version

from ..cart.context_processors import remember_cart_count
from ..cart.selectors import cart_lines, find_cart
from ..delivery.selectors import active_cities, active_pickup_points
from ..models import City, DeliveryMethodChoice, DiscountKind, PickupPoint
from ..payment_methods import get_adapter
from .discounts import applied_coupon_code, apply_coupon, apply_discount, discount_slot, remove_discount
from .forms import CheckoutForm, parse_id
from .quote import CheckoutQuote, build_quote
from .services import CheckoutData, CheckoutError, place_order

logger = logging.getLogger(__name__)

REMOVE_ACTIONS = ("remove_coupon", "remove_discount")


def _cities() -> list[City]:
    return active_cities()


def _pickup_points() -> list[PickupPoint]:
    return active_pickup_points()


def _pickup_groups(points, city) -> list[tuple[str, list[PickupPoint]]]:
    """The pickup points by city: only `city`'s when it is known (the live quote), else all of them."""
    groups: dict[int, tuple[str, list]] = {}
    for point in points:
        if city is None or point.city_id == city.pk:
            groups.setdefault(point.city_id, (point.city.name, []))[1].append(point)
    return list(groups.values())


# --- Pages -----------------------------------------------------------------------------------------------------------


def _terms_version() -> str:
    """The published terms version the shopper accepts with this order (evidence, as at sign-up)."""
    return str(current_terms_version()).strip()[:40]


def _initial(request, cities) -> dict:
    """A signed-in customer's name, e-mail, phone and default (or latest) saved address; a guest starts empty
    (ACC-2: a guest's data serve one order only)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    initial = {"full_name": user.get_full_name(), "email": user.email, "phone": user.phone}
    address = user.addresses.first()  # ordered default first, then newest
    if address is not None:
        initial["address"] = ", ".join(part for part in (address.street, address.apartment) if part)
        initial["full_name"] = initial["full_name"] or address.recipient
        initial["phone"] = initial["phone"] or address.phone
        wanted = address.city.strip().casefold()
        for city in cities:
            names = {(getattr(city, f"name_{code}", "") or "").casefold() for code, _name in settings.LANGUAGES}
            if wanted in names:
                initial["city"] = city.pk
                break
    return initial


def _selection(values, cities) -> dict:
    """City, delivery method and payment method as typed, read leniently: the quote shows what can be chosen."""
    by_id = {city.pk: city for city in cities}
    method = values.get("delivery_method") or values.get("method") or ""
    city_id = values.get("city")
    return {
        "city": by_id.get(city_id if isinstance(city_id, int) else parse_id(city_id)),
        "method": method if method in settings.SHOP_DELIVERY_METHODS else None,
        "payment": values.get("payment_method") or values.get("payment") or None,
    }


def _customer(request):
    """The signed-in customer the discount sources ask about (bonuses are a member's), None for a guest."""
    return request.user if request.user.is_authenticated else None


def _removed_message(kind: str) -> str:
    return _("The coupon was removed.") if kind == DiscountKind.COUPON else _("The discount was removed.")


def _email_for_coupon(request, values) -> str:
    typed = (clean_text(values.get("email") or "", max_length=254) or "").strip()
    if typed:
        return typed
    return request.user.email if request.user.is_authenticated else ""


def _confirm_directly(request, cart) -> HttpResponseRedirect | None:
    """The usual "Confirm order": the shopper saw the total and typed no new coupon. The form checks what was typed
    and `place_order` checks everything else against the database under row locks, so the page's quote (delivery
    options, pickup points, thumbnails) is not built first. Anything refused returns None: the caller builds the
    full page, which says what to correct."""
    if cart is None:
        return None
    values = request.POST
    typed_code = (values.get("coupon_code") or "").strip().upper()
    if typed_code and typed_code != applied_coupon_code(request.session):
        return None
    form = CheckoutForm(values, cities=_cities(), pickup_points=(), confirming=True)
    if not form.is_valid() or form.cleaned_data.get("expected_total") is None:
        return None
    try:
        return _place(request, cart=cart, form=form, slot=discount_slot(request.session))
    except CheckoutError:
        return None


def _place(request, *, cart, form, slot) -> HttpResponseRedirect:
    """Confirm (ORD-2..4): place the order with the discount in the slot (CPN-2), then greet the customer on the
    order page (or send them to pay)."""
    data = form.cleaned_data
    slot = slot or {}
    kind = slot.get("kind") or DiscountKind.NONE
    details = {key: value for key, value in slot.items() if key not in ("kind", "code")}
    pickup = data["delivery_method"] == DeliveryMethodChoice.PICKUP
    order = place_order(
        cart=cart,
        data=CheckoutData(
            full_name=data["full_name"],
            email=data["email"],
            phone=data["phone"],
            delivery_method=data["delivery_method"],
            city_id=data["city"],
            payment_method=data["payment_method"],
            address="" if pickup else data["address"],
            pickup_point_id=data["pickup_point"] if pickup else None,
            coupon_code=str(slot.get("code") or "") if kind == DiscountKind.COUPON else "",
            discount_kind=kind,
            discount_details=details,
            comment=data["comment"],
            terms_accepted=data["terms"],
            terms_version=_terms_version(),
            expected_total=data["expected_total"],
            language=request_language(),
            ip=client_ip(request),
        ),
        user=request.user,
    )
    remove_discount(request.session)
    remember_cart_count(request, 0)
    text = _("Order № %(number)s placed. We sent a confirmation to %(email)s.") % {
        "number": order.number,
        "email": order.email,
    }
    target = order.get_absolute_url()
    adapter = get_adapter(order.payment_method)
    if adapter is not None and adapter.online:
        # PAY-1: online methods go on to the payment page (widget, bank page or Kaspi invoice) at once.
        target = reverse("payments:pay", kwargs={"token": order.access_token})
    elif adapter is not None and (instructions := adapter.instructions(order)):
        text = f"{text} {instructions}"
    messages.success(request, text)
    return HttpResponseRedirect(target)


@never_cache
@require_http_methods(["GET", "POST"])
def checkout(request):
    cart = find_cart(request)
    if request.method == "POST" and request.POST.get("action") == "confirm":
        placed = _confirm_directly(request, cart)
        if placed is not None:
            return placed
    lines = cart_lines(cart)
    if not lines:
        messages.info(request, _("Your cart is empty: add something to it before checking out."))
        return redirect("orders:cart")
    remember_cart_count(request, sum(line.quantity for line in lines))
    now = timezone.now()
    cities, points = _cities(), _pickup_points()
    form_kwargs = {"cities": cities, "pickup_points": points}

    if request.method == "GET":
        values = {**_initial(request, cities), **{k: v for k, v in request.GET.items() if k in ("city", "method")}}
        form = CheckoutForm(initial=values, **form_kwargs)
        quote = _quote_for(request, lines, values, cities, now)
        return _render_page(request, form=form, quote=quote, lines=lines, values=values, points=points)

    values = request.POST.copy()
    action = values.get("action", "recalculate")
    notices: list[str] = []
    coupon_refused = ""
    if action in REMOVE_ACTIONS and (removed := remove_discount(request.session)):
        notices.append(_removed_message(removed))
    typed_code = (values.get("coupon_code") or "").strip().upper()
    if action == "apply_coupon" or (
        action not in REMOVE_ACTIONS and typed_code and typed_code != applied_coupon_code(request.session)
    ):
        # A code typed but not applied (Enter in the box, or "Confirm" straight away) is applied first: the total
        # changes, so the shopper sees it and confirms again.
        applied, text = apply_coupon(
            request.session,
            code=typed_code,
            lines=lines,
            customer=_customer(request),
            email=_email_for_coupon(request, values),
            now=now,
        )
        if applied:
            values["coupon_code"] = ""  # the box is free again; the applied coupon is listed below it
            notices.append(text)
            if action == "confirm":
                notices.append(_("Please check the new total and confirm the order again."))
        else:
            coupon_refused = text
        action = "coupon"

    if action == "apply_bonuses":  # issue 14 (CPN-2, LOY-8): bonuses as the one discount, when the member has some
        _applied, text = apply_discount(
            request.session,
            slot={"kind": DiscountKind.BONUSES.value},
            lines=lines,
            customer=_customer(request),
            email=_email_for_coupon(request, values),
            now=now,
        )
        notices.append(text)

    quote = _quote_for(request, lines, values, cities, now)
    form = CheckoutForm(values, quote=quote, confirming=action == "confirm", **form_kwargs)
    if action == "confirm" and form.is_valid():
        try:
            return _place(request, cart=cart, form=form, slot=quote.slot)
        except CheckoutError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            # Show what the order would cost now: prices, stock or the clock may have moved meanwhile.
            lines = cart_lines(cart)
            if not lines:
                return redirect("orders:cart")
            quote = _quote_for(request, lines, values, cities, timezone.now())
    if coupon_refused and coupon_refused not in form.errors.get("coupon_code", ()):
        form.add_error("coupon_code", coupon_refused)
    return _render_page(request, form=form, quote=quote, lines=lines, values=values, points=points, notices=notices)


def _quote_for(request, lines, values, cities, now) -> CheckoutQuote:
    selection = _selection(values, cities)
    return build_quote(
        lines=lines,
        city=selection["city"],
        method=selection["method"],
        payment=selection["payment"],
        slot=discount_slot(request.session),
        customer=_customer(request),
        email=_email_for_coupon(request, values),
        now=now,
    )


# Radio groups are rendered by hand (each option carries its cost or reason): the summary links to their fieldset.
_ERROR_ANCHORS = {"delivery_method": "delivery-methods", "payment_method": "payment-methods"}


def _error_summary(form) -> list[tuple[str, str, str]]:
    """(anchor, field label, message) for the list of problems above the form; non-field errors come first."""
    if not form.is_bound or not form.errors:
        return []
    items = [("", "", str(error)) for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name in form.fields:
            field = form[name]
            items += [(_ERROR_ANCHORS.get(name, field.id_for_label), field.label, str(e)) for e in errors]
    return items


def _render_page(request, *, form, quote, lines, values, points, notices=()):
    context = {
        "error_summary": _error_summary(form),
        "form": form,
        "quote": quote,
        "lines": list(zip(lines, quote.priced.amounts, quote.priced.shares, strict=True)),
        "pickup_groups": _pickup_groups(points, None),
        "selected_pickup": parse_id(str(values.get("pickup_point") or "")),
        "notices": notices,
        "terms_url": reverse("shop:page", args=["terms"]),
    }
    return render(request, "orders/checkout.html", context)


@never_cache
@require_GET
def quote(request):
    """The parts of the checkout page that depend on the city and the delivery method (DLV-2: the cost as soon
    as the city is chosen), for static/js/checkout.js. 400 with a short message for a malformed query."""
    raw_city = (request.GET.get("city") or "").strip()
    raw_method = (request.GET.get("method") or "").strip()
    cities = _cities()
    city = None
    if raw_city:
        city_id = parse_id(raw_city)
        city = next((c for c in cities if c.pk == city_id), None)
        if city is None:
            return _bad_quote(_("Choose a city from the list."))
    if raw_method and raw_method not in settings.SHOP_DELIVERY_METHODS:
        return _bad_quote(_("Choose a delivery method from the list."))
    lines = cart_lines(find_cart(request))
    if not lines:
        return _bad_quote(_("Your cart is empty."))
    now = timezone.now()
    result = build_quote(
        lines=lines,
        city=city,
        method=raw_method or None,
        payment=request.GET.get("payment") or None,
        slot=discount_slot(request.session),
        customer=_customer(request),
        email=_email_for_coupon(request, {}),
        now=now,
    )
    context = {
        "quote": result,
        "lines": list(zip(lines, result.priced.amounts, result.priced.shares, strict=True)),
        "pickup_groups": _pickup_groups(_pickup_points(), city),
        "selected_pickup": parse_id(request.GET.get("pickup_point") or ""),
        "form": None,
    }
    return render(request, "orders/checkout_quote.html", context)


def _bad_quote(message: str):
    body = render_to_string("orders/checkout_quote_error.html", {"message": message})
    return HttpResponseBadRequest(body or escape(message))


@require_POST
def coupon(request):
    """Apply or remove the coupon (CPN-1, CPN-2), then back to the checkout with a message (PRG)."""
    action = request.POST.get("action", "apply")
    if action == "remove":
        if removed := remove_discount(request.session):
            messages.success(request, _removed_message(removed))
        return redirect("orders:checkout")
    lines = cart_lines(find_cart(request))
    if not lines:
        messages.info(request, _("Your cart is empty: add something to it before checking out."))
        return redirect("orders:cart")
    applied, text = apply_coupon(
        request.session,
        code=request.POST.get("coupon_code") or request.POST.get("code") or "",
        lines=lines,
        customer=_customer(request),
        email=_email_for_coupon(request, request.POST),
        now=timezone.now(),
    )
    (messages.success if applied else messages.error)(request, text)
    return redirect("orders:checkout")
